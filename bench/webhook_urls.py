"""The site's URLs plus a bare Django view answering 204: the baseline for bench/webhook_bench.py."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from parentvoice.urls import urlpatterns as site_urlpatterns


@csrf_exempt
def bare(request):
    return HttpResponse(status=204)


urlpatterns = [path("bench-bare/", bare), *site_urlpatterns]
