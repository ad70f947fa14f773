"""URL converters. `<id:...>` is an object id: at most 18 digits, so a huge number in a link is a 404
rather than an integer SQLite cannot hold (Django guards its own lookups, but not through a page's
parent link)."""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


def register():
    register_converter(IdConverter, "id")
