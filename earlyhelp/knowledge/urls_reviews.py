"""The pages of the screening of promising interventions (reviews)."""

from django.urls import path

from earlyhelp.knowledge.views import reviews as views

urlpatterns = [
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/new/", views.review_create, name="review_create"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("reviews/<int:pk>/edit/", views.review_edit, name="review_edit"),
    path("reviews/<int:pk>/criteria/new/", views.review_criterion_new, name="review_criterion_new"),
    path(
        "reviews/<int:pk>/candidates/new/",
        views.review_candidate_new,
        name="review_candidate_new",
    ),
    path("reviews/<int:pk>/rating/", views.review_rating_open, name="review_rating_open"),
    path(
        "reviews/<int:pk>/candidates/<int:candidate_pk>/rate/",
        views.review_rate,
        name="review_rate",
    ),
    path("reviews/<int:pk>/recommend/", views.review_recommend, name="review_recommend"),
    path("reviews/<int:pk>/prototype/", views.review_prototype, name="review_prototype"),
    path("reviews/<int:pk>/close/", views.review_close, name="review_close"),
]
