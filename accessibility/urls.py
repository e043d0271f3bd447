from django.urls import path

from . import views

app_name = "accessibility"

urlpatterns = [
    path("", views.change_display_preferences, name="change"),
]
