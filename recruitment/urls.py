from django.urls import path

from . import views

app_name = "recruitment"

urlpatterns = [
    path("candidates/", views.candidate_list, name="candidate_list"),
    path("candidates/new/", views.candidate_create, name="candidate_create"),
    path("candidates/new/paper-file/", views.paper_file_create, name="paper_file_create"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate_detail"),
    # Before the step pattern: "correct", "undo" and "papers" are not action codes.
    path("candidates/<int:pk>/correct/", views.candidate_correct, name="candidate_correct"),
    path("candidates/<int:pk>/papers/", views.candidate_papers, name="candidate_papers"),
    path("candidates/<int:pk>/papers/<slug:slug>.<str:fmt>", views.candidate_paper,
         name="candidate_paper"),
    path("candidates/<int:pk>/dossier.<str:fmt>", views.candidate_dossier,
         name="candidate_dossier"),
    path("candidates/<int:pk>/undo/", views.candidate_undo, name="candidate_undo"),
    path("candidates/<int:pk>/<slug:action>/", views.candidate_action, name="candidate_action"),
    path("examination/", views.examination_queue, name="examination_queue"),
    path("worklist/", views.worklist, name="worklist"),
]

urlpatterns += [
    path("classes/", views.class_list, name="class_list"),
    path("classes/new/", views.class_create, name="class_create"),
    path("classes/<int:pk>/", views.class_detail, name="class_detail"),
    path("classes/<int:pk>/enrol/", views.class_enrol, name="class_enrol"),
    path("classes/<int:pk>/results/", views.class_results, name="class_results"),
    path("classes/<int:pk>/roster.pdf", views.class_roster_pdf, name="class_roster_pdf"),
    path("classes/<int:pk>/certificates.pdf", views.class_certificates_pdf,
         name="class_certificates_pdf"),
    path("classes/<int:pk>/roster.docx", views.class_roster_docx, name="class_roster_docx"),
    path("classes/<int:pk>/certificates.docx", views.class_certificates_docx,
         name="class_certificates_docx"),
    path("nominations/", views.nominations, name="nominations"),
    # Batch printing for the department: every decision signed on one date.
    path("papers/decisions/", views.decisions_batch, name="decisions_batch"),
    path("numbering/", views.numbering, name="numbering"),
    path("numbering/<int:pk>/void/", views.numbering_void, name="numbering_void"),
]

urlpatterns += [
    path("notices/", views.digest_settings, name="digest_settings"),
    path("notices/unsubscribe/<str:token>/", views.digest_unsubscribe,
         name="digest_unsubscribe"),
]
