from django.urls import path

from . import (
    two_factor,
    views,
    views_drafts,
    views_headcounts,
    views_import,
    views_movements,
)

app_name = "members"

urlpatterns = [
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<str:code>/", views.organisation_detail, name="organisation_detail"),
    path("members/", views.member_list, name="member_list"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
]

# Members who move or leave (one page per kind of movement), come in from outside the tree,
# or whose identity was entered wrongly (members/views_movements.py).
urlpatterns += [
    path("members/transfer-in/", views_movements.member_transfer_in,
         name="member_transfer_in"),
    path("members/<int:pk>/movements/<slug:kind>/", views_movements.member_movement,
         name="member_movement"),
    path("members/<int:pk>/correct/", views_movements.member_correct, name="member_correct"),
]

# Staff headcounts by date, recorded by the organisation department (members/views_headcounts.py).
urlpatterns += [
    path("headcounts/", views_headcounts.headcount_list, name="headcounts"),
    path("headcounts/<str:code>/", views_headcounts.headcount_history,
         name="headcount_history"),
]

# Bulk import (one page per kind of spec/import-format.md) and export of every list.
urlpatterns += [
    path("import/", views_import.import_index, name="import_index"),
    path("import/jobs/<int:pk>/", views_import.import_job, name="import_job"),
    path("import/jobs/<int:pk>/confirm/", views_import.import_confirm, name="import_confirm"),
    path("import/jobs/<int:pk>/retry/", views_import.import_retry, name="import_retry"),
    path("import/<slug:kind>/", views_import.import_upload, name="import_upload"),
    path("import/<slug:kind>/template.xlsx", views_import.import_template,
         name="import_template"),
    path("export/<slug:kind>.<slug:fmt>", views_import.export, name="export"),
]

# Second factor at login (members/two_factor.py).
urlpatterns += [
    path("2fa/setup/", two_factor.setup, name="two_factor_setup"),
    path("2fa/verify/", two_factor.verify, name="two_factor_verify"),
    path("2fa/recovery-codes/", two_factor.recovery_codes, name="two_factor_recovery"),
]

# Drafts of long forms, kept per user until the form is saved or the draft discarded
# (members/views_drafts.py, static/js/drafts.js).
urlpatterns += [
    path("drafts/", views_drafts.draft, name="draft"),
    path("drafts/discard/", views_drafts.draft_discard, name="draft_discard"),
]
