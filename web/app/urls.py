"""Every address of the web app (tests/web/test_permissions.py requests each of them as every role)."""

from django.urls import path, register_converter

from web.app import assessment_views as av
from web.app import plan_views as pv
from web.app import views as v


class AreaLetter:
    regex = "[A-Z]"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(AreaLetter, "area")

urlpatterns = [
    path("", v.start, name="start"),
    path("logga-in/", v.login_view, name="login"),
    path("logga-ut/", v.logout_view, name="logout"),
    path("tillganglighet/", v.accessibility, name="accessibility"),
    path("static/<str:name>", v.static, name="static"),
    path("enhet/<int:pk>/", av.unit_page, name="unit"),
    path("enhet/<int:pk>/ny-bedomning/", av.start_assessment, name="start_assessment"),
    path("bedomning/<int:pk>/", av.overview, name="assessment"),
    path("bedomning/<int:pk>/omrade/<area:letter>/", av.area, name="area"),
    path("bedomning/<int:pk>/personer/", av.people, name="people"),
    path("bedomning/<int:pk>/uppgifter/", av.details, name="details"),
    path("bedomning/<int:pk>/export.yaml", av.export_yaml, name="export"),
    path("bedomning/<int:pk>/import/", av.import_yaml, name="import"),
    path("bedomning/<int:pk>/betyg.json", av.grade_json, name="grade_json"),
    path("bedomning/<int:pk>/rapport.<str:fmt>", av.report, name="report"),
    path("bedomning/<int:pk>/jamfor/", av.compare, name="compare"),
    path("bedomning/<int:pk>/handlingsplan/", pv.draft, name="draft_plan"),
    path("handlingsplan/<int:pk>/", pv.plan_page, name="plan"),
    path("uppfoljning/", pv.followup, name="followup"),
    path("uppfoljning/kalender/ny/", pv.calendar_new, name="calendar_new"),
    path("uppfoljning/kalender/<int:pk>/aterkalla/", pv.calendar_revoke, name="calendar_revoke"),
    path("kalender/<str:secret>.ics", pv.calendar, name="calendar"),
    path("region/", pv.region, name="region"),
    path("logg/", pv.audit, name="audit"),
]

handler400 = v.bad_request
handler403 = v.forbidden
handler404 = v.not_found
handler500 = v.server_error
