from django.http import Http404


def station_form(request, code):
    raise Http404


def representative_form(request, code):
    raise Http404


def submitted(request, code):
    raise Http404


def track(request):
    raise Http404
