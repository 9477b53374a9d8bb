from django.shortcuts import render

from core.access import public


@public
def notice_list(request):
    return render(request, "base.html")


@public
def contact(request):
    return render(request, "base.html")
