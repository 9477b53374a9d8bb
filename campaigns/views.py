from django.http import Http404
from django.shortcuts import render

from accounts.roles import Role
from core.access import public, roles


@roles(Role.PROVINCE_ADMIN, Role.PROVINCE_STAFF, Role.ASSOCIATION, Role.UNIT, Role.INSPECTOR)
def campaign_list(request):
    return render(request, "base.html")


@public
def standard(request, pk):
    raise Http404
