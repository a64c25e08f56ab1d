"""Pages of the recruitment app: the pipeline, the corrections and the training classes."""
from .corrections import candidate_correct, candidate_undo  # noqa: F401
from .entry import paper_file_create  # noqa: F401
from .notices import digest_settings, digest_unsubscribe  # noqa: F401
from .numbering import numbering, numbering_void  # noqa: F401
from .papers import (  # noqa: F401
    candidate_dossier,
    candidate_paper,
    candidate_papers,
    decisions_batch,
)
from .pipeline import (  # noqa: F401
    candidate_action,
    candidate_create,
    candidate_detail,
    candidate_list,
    examination_queue,
    worklist,
)
from .training import (  # noqa: F401
    class_certificates_docx,
    class_certificates_pdf,
    class_create,
    class_detail,
    class_enrol,
    class_list,
    class_results,
    class_roster_docx,
    class_roster_pdf,
    nominations,
)
