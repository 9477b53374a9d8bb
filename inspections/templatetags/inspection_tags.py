from django import template

from inspections.aggregation import format_icc

register = template.Library()


register.filter("icc", format_icc)
