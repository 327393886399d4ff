from meedoen.reports import dashboard_urls, report_urls

app_name = "reports"
urlpatterns = [*dashboard_urls.urlpatterns, *report_urls.urlpatterns]
