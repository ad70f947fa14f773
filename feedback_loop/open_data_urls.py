"""The open data page, its CSV downloads and the read-only API (docs/open-data.md)."""

from django.urls import include, path

from . import api, open_data_views

urlpatterns = [
    path("open-data/", open_data_views.open_data_page, name="open_data"),
    path("open-data/<slug:dataset>.csv", open_data_views.csv_download, name="open_data_csv"),
    path("api/v1/", include(api.urlpatterns)),
]
