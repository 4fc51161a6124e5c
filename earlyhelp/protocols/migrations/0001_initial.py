import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('organisations', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='ClosingDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('date', models.DateField(verbose_name='date')),
                ('reason', models.CharField(max_length=200, verbose_name='reason')),
                ('municipality', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='closing_days', to='organisations.municipality', verbose_name='municipality')),
            ],
            options={
                'verbose_name': 'closing day',
                'verbose_name_plural': 'closing days',
                'ordering': ['municipality', 'date'],
                'constraints': [models.UniqueConstraint(fields=('municipality', 'date'), name='closing_day_unique')],
            },
        ),
        migrations.CreateModel(
            name='MunicipalSetting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('key', models.CharField(choices=[('acting_working_days', 'Act on a concern within (working days)'), ('urgent_acting_hours', 'Act on a concern in immediate danger within (hours)'), ('feedback_working_days', 'Give the reporter feedback within (working days)'), ('written_follow_up_working_days', 'Written signal after an oral urgent signal within (working days)')], max_length=60, verbose_name='setting')),
                ('value', models.PositiveIntegerField(help_text="Without this setting the profile's default applies: earlyhelp's default, not law.", validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(365)], verbose_name='value')),
                ('municipality', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='protocol_settings', to='organisations.municipality', verbose_name='municipality')),
            ],
            options={
                'verbose_name': 'municipal protocol setting',
                'verbose_name_plural': 'municipal protocol settings',
                'ordering': ['municipality', 'key'],
                'constraints': [models.UniqueConstraint(fields=('municipality', 'key'), name='municipal_setting_unique_key')],
            },
        ),
        migrations.CreateModel(
            name='Profile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('key', models.CharField(choices=[('HU', 'Hungary'), ('CZ', 'Czech Republic'), ('DK', 'Denmark'), ('GENERIC', 'Generic (other places)')], max_length=16, verbose_name='profile')),
                ('version', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='version')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('rules', models.JSONField(default=dict, verbose_name='rules')),
                ('published_at', models.DateTimeField(blank=True, editable=False, help_text='A published version is never changed; a change is a new version.', null=True, verbose_name='published')),
                ('jurisdiction', models.ForeignKey(blank=True, help_text='Empty for the generic profile.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='profiles', to='organisations.jurisdiction', verbose_name='jurisdiction')),
            ],
            options={
                'verbose_name': 'jurisdiction profile',
                'verbose_name_plural': 'jurisdiction profiles',
                'ordering': ['key', '-version'],
                'constraints': [models.UniqueConstraint(fields=('key', 'version'), name='profile_unique_version'), models.CheckConstraint(condition=models.Q(models.Q(('key', 'GENERIC'), _negated=True), ('jurisdiction__isnull', True), _connector='OR'), name='profile_generic_has_no_jurisdiction')],
            },
        ),
    ]
