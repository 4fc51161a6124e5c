"""Memberships that reach children await a second person's approval. Existing memberships were
in force before the rule: they are added as approved, and only then does the default become
"pending" for new ones."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='membership',
            name='approval',
            field=models.CharField(choices=[('pending', 'awaiting approval'), ('approved', 'approved'), ('refused', 'refused')], default='approved', max_length=10, verbose_name='approval'),
        ),
        migrations.AddField(
            model_name='membership',
            name='decided_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='approved or refused on'),
        ),
        migrations.AddField(
            model_name='membership',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approved or refused by'),
        ),
        migrations.AddField(
            model_name='membership',
            name='requested_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='asked on'),
        ),
        migrations.AddField(
            model_name='membership',
            name='requested_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='asked by'),
        ),
        migrations.AlterField(
            model_name='membership',
            name='approval',
            field=models.CharField(choices=[('pending', 'awaiting approval'), ('approved', 'approved'), ('refused', 'refused')], default='pending', max_length=10, verbose_name='approval'),
        ),
    ]
