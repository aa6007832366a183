from django.contrib import messages
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from .errors import DomainError


def perform(request, action, *, success: str) -> bool:
    """Run the service call ``action`` and show ``success`` or the domain error as a message."""
    try:
        action()
    except DomainError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, success)
    return True


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    # Rendered without context processors: they may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())
