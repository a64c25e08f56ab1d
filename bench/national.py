"""The whole country on PostgreSQL, for the national benchmark (bench/national_bench.py) and
the load tests: 55,064 organisations, 2,000,000 members with their movements, 1,000,000
candidates in every stage of the pipeline with ~9.5 million stage events, their votes and
decisions, classes, introductions, dated staff headcounts, terms and targets, and one user per
role at the root, at a province and at a branch.

The tree: the central root (TW) → 63 provinces (T01…T63) → 16 districts each (T01-H01…,
upper committees, 1,071 upper committees below the root) → 5 grassroots units each (5,040:
4,536 grassroots committees, 504 grassroots branches `chi bộ cơ sở`) → 10 or 11 branches
each (48,552 branches; 400 committees hold a partial committee with 4 of their branches
under it, ~10 % of the other committees are authorised to admit: `admission_delegated_ref`).

People: 1,550,000 members admitted before 2015 (a `present` movement row on their branch,
as `members.movements.write_present_rows` writes it) and 450,000 admitted 2015–2026 through
the pipeline (an `admitted` row with the decision date, as `record_movement` writes it at
the ceremony), each with their candidate record (stage probationary … official, or removed),
then a few % of transfers within the tree, deaths, transfers out, expulsions and
resignations over 2016–2026. 550,000 more candidates sit in the stages before the
admission or ended there (withdrawn, rejected, died, not held, revoked). Every candidate's
stage is the `to_stage` of its last StageEvent; the events follow the route the branch's
place in the tree gives (`recruitment.workflow.route_facts`: normal, partial committee,
delegated, grassroots branch), each with `organisation` set to the candidate's branch; the
votes and decisions point at the event that wrote them. Terms 2020-2025 and 2025-2030 are
recorded at the root (congress dates 15/10/2020, 15/10/2025); targets for both terms and the
years 2025–2026. Today is taken as 01/12/2026. simple_history's tables are left empty.

Built with set-based SQL (`INSERT … SELECT … FROM generate_series`) after `migrate`, with
`setseed` so every build is the same; secondary indexes are dropped during the load and made
again afterwards, foreign keys are not checked during the load (session_replication_role =
replica: the rows are consistent by construction), then VACUUM ANALYZE. A marker table
(`bench_national_marker`) records a finished build, so the next run reuses it.

Users (password `bench-pass-2026` for all, stored as PBKDF2 so the production settings accept
it; the second factor is off only under config.settings_test):

    bench_tw_lanhdao      leadership        at TW (the root)
    bench_tw_bantochuc    org_department    at TW
    bench_tinh_lanhdao    leadership        at T01 (a province)
    bench_tinh_bantochuc  org_department    at T01
    bench_coso_vanphong   grassroots_office at the grassroots committee above the bench branch
    bench_chibo_bithu     branch_secretary  at the bench branch (a branch of T01 of median size)
    bench_tw_quantri, bench_tinh_quantri, bench_chibo_quantri
                          administrator (staff, Django admin) at TW, T01 and the bench branch

    .venv/bin/python bench/national.py              # build once (--reuse), then print counts
    .venv/bin/python bench/national.py --rebuild    # drop the database and build again
    BENCH_DATABASE_URL=postgres://… .venv/bin/python bench/national.py

After the load, `manage.py rollups rebuild` is run when that command exists (timed).
"""
import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/phattrien_national"
URL = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
ROOT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT_DIR))

VERSION = "national-1"
PASSWORD = "bench-pass-2026"
TODAY = "2026-12-01"
PROVINCES, DISTRICTS, GRASSROOTS = 63, 16, 5
OLD_MEMBERS = 1_550_000  # admitted before 2015: a `present` row
ADMITTED = 450_000  # admitted 2015–2026 through the pipeline
CANDIDATES = 1_000_000  # of whom ADMITTED are members now
if os.environ.get("BENCH_NATIONAL_SCALE"):  # a smaller run to try the generator itself
    _scale = float(os.environ["BENCH_NATIONAL_SCALE"])
    OLD_MEMBERS, ADMITTED, CANDIDATES = (int(n * _scale) for n in (OLD_MEMBERS, ADMITTED,
                                                                     CANDIDATES))
USERS = [  # username, role, where ("root", "province", "grassroots", "branch"), staff
    ("bench_tw_lanhdao", "leadership", "root", False),
    ("bench_tw_bantochuc", "org_department", "root", False),
    ("bench_tinh_lanhdao", "leadership", "province", False),
    ("bench_tinh_bantochuc", "org_department", "province", False),
    ("bench_coso_vanphong", "grassroots_office", "grassroots", False),
    ("bench_chibo_bithu", "branch_secretary", "branch", False),
    ("bench_tw_quantri", "administrator", "root", True),
    ("bench_tinh_quantri", "administrator", "province", True),
    ("bench_chibo_quantri", "administrator", "branch", True),
]
BIG_TABLES = ["members_member", "members_movement", "recruitment_candidate",
              "recruitment_stageevent", "recruitment_vote", "recruitment_decision",
              "recruitment_enrolment", "recruitment_introduction", "members_staffheadcount"]

# Names: (with diacritics, folded) – weights by repetition.
FAMILY = [("Nguyễn", 38), ("Trần", 11), ("Lê", 10), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 4),
          ("Phan", 4), ("Vũ", 4), ("Võ", 4), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2),
          ("Ngô", 2), ("Dương", 2), ("Lý", 1)]
MIDDLE_M = [("Văn", 8), ("Hữu", 2), ("Đức", 2), ("Minh", 2), ("Quang", 2), ("Công", 1),
            ("Thanh", 1), ("Xuân", 1), ("Trọng", 1)]
MIDDLE_F = [("Thị", 12), ("Ngọc", 2), ("Thu", 1), ("Thanh", 1), ("Kim", 1), ("Minh", 1),
            ("Hồng", 1), ("Phương", 1)]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy",
           "Khánh", "Kiên", "Long", "Mạnh", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân",
           "Quang", "Sơn", "Tâm", "Thắng", "Thành", "Toàn", "Trung", "Tuấn", "Việt", "Vinh"]
GIVEN_F = ["Anh", "Bích", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hồng",
           "Huyền", "Hương", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngọc",
           "Nhung", "Oanh", "Phương", "Quỳnh", "Tâm", "Thảo", "Thủy", "Trang", "Vân", "Yến"]
ETHNIC = ["Kinh"] * 17 + ["Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "H'Mông"]
RELIGION = ["Không"] * 18 + ["Phật giáo", "Công giáo", "Cao Đài"]
QUALIFICATION = ["university"] * 5 + ["none", "elementary", "intermediate", "intermediate",
                                      "college", "master", "doctor"]
OCCUPATION = [("farmer", "Nông dân"), ("civil_servant", "Giáo viên"), ("worker", "Công nhân"),
              ("student", "Sinh viên"), ("civil_servant", "Viên chức"),
              ("employee", "Nhân viên"), ("army", "Quân nhân"), ("police", "Công an"),
              ("business_owner", "Chủ doanh nghiệp"), ("other", "Lao động tự do")]

# The steps of each route, in order: (action, from, to, days from the ceremony, document).
# A candidate has taken the first k steps of their route; their stage is the last `to`.
# Routes: N normal, P under a partial committee, D delegated grassroots committee, G
# grassroots branch; the …R variants end in removal from the probationary list.
_HEAD = [
    ("add_to_pool", "source_pool", "source_pool", -420, "Danh sách dự nguồn"),
    ("assign_helper", "source_pool", "helper_assigned", -390, "Nghị quyết chi bộ"),
    ("record_awareness_certificate", "helper_assigned", "sympathiser", -330, "Giấy chứng nhận"),
    ("record_application", "sympathiser", "applied", -240, "1-KNĐ"),
    ("certify_history", "applied", "history_verified", -150, "2-KNĐ"),
    ("record_introductions", "history_verified", "introduced", -110, "3-KNĐ / 4-KNĐ / 4A-KNĐ"),
    ("record_opinions", "introduced", "opinions_collected", -90, "5-KNĐ"),
    ("branch_vote", "opinions_collected", "branch_voted", -70, "6-KNĐ"),
]
_CEREMONY = [
    ("hold_ceremony", "admission_decided", "probationary", 0, "Biên bản lễ kết nạp"),
    ("record_new_member_certificate", "probationary", "probationary", 150, "Giấy chứng nhận"),
]
ROUTES = {
    "N": _HEAD + [
        ("send_up", "branch_voted", "at_grassroots", -60, "Tờ trình của chi bộ"),
        ("grassroots_resolution", "at_grassroots", "at_upper", -45, "8-KNĐ"),
        ("approve_admission", "at_upper", "admission_decided", -25, "9-KNĐ")] + _CEREMONY,
    "P": _HEAD + [
        ("send_up", "branch_voted", "at_grassroots", -60, "Tờ trình của chi bộ"),
        ("partial_appraisal", "at_grassroots", "partial_appraised", -52, "7-KNĐ"),
        ("grassroots_resolution", "partial_appraised", "at_upper", -45, "8-KNĐ"),
        ("approve_admission", "at_upper", "admission_decided", -25, "9-KNĐ")] + _CEREMONY,
    "D": _HEAD + [
        ("send_up", "branch_voted", "at_grassroots", -60, "Tờ trình của chi bộ"),
        ("grassroots_admit", "at_grassroots", "admission_decided", -35, "9-KNĐ")] + _CEREMONY,
    "G": _HEAD + [
        ("send_to_upper", "branch_voted", "at_upper", -60, "Tờ trình của chi bộ cơ sở"),
        ("approve_admission", "at_upper", "admission_decided", -25, "9-KNĐ")] + _CEREMONY,
}
_RECOGNITION = {
    "N": [("recognition_vote", "probationary", "recognition_branch_voted", 372, "13-KNĐ"),
          ("recognition_resolution", "recognition_branch_voted", "recognition_at_upper", 388,
           "15-KNĐ"),
          ("approve_recognition", "recognition_at_upper", "official", 400, "16-KNĐ")],
    "P": [("recognition_vote", "probationary", "recognition_branch_voted", 372, "13-KNĐ"),
          ("recognition_partial_appraisal", "recognition_branch_voted",
           "recognition_partial_appraised", 380, "14-KNĐ"),
          ("recognition_resolution", "recognition_partial_appraised", "recognition_at_upper",
           388, "15-KNĐ"),
          ("approve_recognition", "recognition_at_upper", "official", 400, "16-KNĐ")],
    "D": [("recognition_vote", "probationary", "recognition_branch_voted", 372, "13-KNĐ"),
          ("grassroots_recognise", "recognition_branch_voted", "official", 390,
           "15-KNĐ / 16-KNĐ")],
    "G": [("recognition_vote_to_upper", "probationary", "recognition_at_upper", 372, "13-KNĐ"),
          ("approve_recognition", "recognition_at_upper", "official", 400, "16-KNĐ")],
}
_REMOVAL = {
    "N": [("propose_removal", "probationary", "removal_branch_voted", 372, "Nghị quyết chi bộ"),
          ("removal_resolution", "removal_branch_voted", "removal_at_upper", 388,
           "Nghị quyết đảng ủy cơ sở"),
          ("remove_probationary", "removal_at_upper", "removed", 400, "Quyết định xóa tên")],
    "D": [("propose_removal", "probationary", "removal_branch_voted", 372, "Nghị quyết chi bộ"),
          ("grassroots_remove", "removal_branch_voted", "removed", 390, "Quyết định xóa tên")],
    "G": [("propose_removal_to_upper", "probationary", "removal_at_upper", 372,
           "Nghị quyết chi bộ cơ sở"),
          ("remove_probationary", "removal_at_upper", "removed", 400, "Quyết định xóa tên")],
}
_REMOVAL["P"] = _REMOVAL["N"]
for _r in list(ROUTES):
    ROUTES[_r + "R"] = ROUTES[_r] + _REMOVAL[_r]
    ROUTES[_r] = ROUTES[_r] + _RECOGNITION[_r]
# The papers a step writes: votes (kind) and decisions (kind, decided by: grassroots or upper).
VOTES = {"branch_vote": "branch", "grassroots_resolution": "grassroots",
         "grassroots_admit": "grassroots", "recognition_vote": "recognition_branch",
         "recognition_vote_to_upper": "recognition_branch",
         "recognition_resolution": "recognition_grassroots",
         "grassroots_recognise": "recognition_grassroots", "propose_removal": "removal_branch",
         "propose_removal_to_upper": "removal_branch",
         "removal_resolution": "removal_grassroots", "grassroots_remove": "removal_grassroots"}
DECISIONS = {"approve_admission": ("admission", "upper"),
             "grassroots_admit": ("admission", "grassroots"),
             "approve_recognition": ("recognition", "upper"),
             "grassroots_recognise": ("recognition", "grassroots"),
             "remove_probationary": ("removal", "upper"),
             "grassroots_remove": ("removal", "grassroots"),
             "revoke_admission": ("revocation", "upper")}
# The number each numbered step writes is "<candidate id>/<suffix>", as the candidate's
# fields (decision_number, …), the votes, the decisions and the member's left_document quote it.
NUMBERED = {
    "record_awareness_certificate": "GCN-NT", "record_new_member_certificate": "GCN-ĐVM",
    "branch_vote": "NQ-KN/CB", "grassroots_resolution": "NQ-KN/ĐU",
    "grassroots_admit": "QĐ-KN/ĐU", "approve_admission": "QĐ-KN/HU",
    "recognition_vote": "NQ-CN/CB", "recognition_vote_to_upper": "NQ-CN/CB",
    "recognition_resolution": "NQ-CN/ĐU", "grassroots_recognise": "QĐ-CN/ĐU",
    "approve_recognition": "QĐ-CN/HU", "propose_removal": "NQ-XT/CB",
    "propose_removal_to_upper": "NQ-XT/CB", "removal_resolution": "NQ-XT/ĐU",
    "grassroots_remove": "QĐ-XT/ĐU", "remove_probationary": "QĐ-XT/HU"}


def ensure_database(url: str, drop: bool) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and drop:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _fold(text):
    from members.models import fold
    return fold(text)


def _weighted(pairs):
    out = []
    for name, weight in pairs:
        out += [name] * weight
    return out


class Builder:
    def __init__(self, cur):
        self.cur = cur
        self.timings = []

    def sql(self, label, statement, params=None):
        started = time.perf_counter()
        self.cur.execute(statement, params)
        took = time.perf_counter() - started
        self.timings.append((label, took))
        rows = self.cur.rowcount
        print(f"  {label}: {took:6.1f} s" + (f" ({rows:,} rows)" if rows and rows > 0 else ""),
              flush=True)

    # ------------------------------------------------------------------ the tree
    def tree(self):
        self.sql("tree (work table)", f"""
            CREATE TEMP TABLE t_org AS
            WITH prov AS (
                SELECT p, '00001' || lpad(p::text, 5, '0') AS path,
                       'T' || lpad(p::text, 2, '0') AS code
                FROM generate_series(1, {PROVINCES}) p),
            dist AS (
                SELECT p, d, prov.path || lpad(d::text, 5, '0') AS path,
                       prov.code || '-H' || lpad(d::text, 2, '0') AS code
                FROM prov, generate_series(1, {DISTRICTS}) d),
            gr AS (
                SELECT p, d, g, dist.path || lpad(g::text, 5, '0') AS path,
                       dist.code || '-X' || g AS code,
                       row_number() OVER (ORDER BY dist.path, g) AS gn
                FROM dist, generate_series(1, {GRASSROOTS}) g),
            grk AS (
                SELECT gr.*, CASE WHEN (gn * 7919) % 5040 < 504 THEN 'grassroots_branch'
                                  ELSE 'grassroots_committee' END AS kind
                FROM gr),
            com AS (  -- the grassroots committees, numbered: branches, partial, delegated
                SELECT grk.*, row_number() OVER (ORDER BY path) AS k
                FROM grk WHERE kind = 'grassroots_committee'),
            com2 AS (
                SELECT com.*, 10 + ((k * 7919) % 4536 < 3192)::int AS nb,
                       (k * 104729) % 4536 < 400 AS has_partial
                FROM com),
            com3 AS (
                SELECT com2.*, NOT has_partial AND (k * 31) % 4536 < 454 AS delegated
                FROM com2)
            SELECT '00001' AS path, 'TW' AS code,
                   'Đảng bộ Trung ương (thử nghiệm)' AS name, 'upper_committee' AS kind,
                   0 AS p, 'Hà Nội' AS place, false AS delegated
            UNION ALL SELECT path, code, 'Đảng bộ Tỉnh ' || lpad(p::text, 2, '0'),
                   'upper_committee', p, 'Tỉnh lỵ ' || p, false FROM prov
            UNION ALL SELECT path, code, 'Đảng bộ Huyện ' || lpad(p::text, 2, '0') || '.' || d,
                   'upper_committee', p, '', false FROM dist
            UNION ALL SELECT path, code, CASE kind WHEN 'grassroots_branch'
                       THEN 'Chi bộ cơ sở Trường ' ELSE 'Đảng bộ Xã ' END
                       || lpad(p::text, 2, '0') || '.' || d || '.' || g,
                   kind, p, '', false FROM grk WHERE kind = 'grassroots_branch'
            UNION ALL SELECT path, code, 'Đảng bộ Xã ' || lpad(p::text, 2, '0') || '.' || d || '.'
                   || g, kind, p, '', delegated FROM com3
            UNION ALL SELECT path || '00001', code || '-B1', 'Đảng bộ bộ phận Khối ' ||
                   lpad(p::text, 2, '0') || '.' || d || '.' || g, 'partial_committee', p, '',
                   false FROM com3 WHERE has_partial
            UNION ALL SELECT CASE WHEN has_partial AND b <= 4
                                  THEN path || '00001' || lpad(b::text, 5, '0')
                                  WHEN has_partial THEN path || lpad((b - 3)::text, 5, '0')
                                  ELSE path || lpad(b::text, 5, '0') END,
                   code || '-C' || b, 'Chi bộ Thôn ' || lpad(p::text, 2, '0') || '.' || d || '.'
                   || g || '.' || b, 'branch', p, '', false
            FROM com3, generate_series(1, 11) b WHERE b <= nb
        """)
        self.sql("organisations", """
            INSERT INTO members_organisation (id, code, name, kind, path, depth, parent_id,
                admission_delegated_ref, document_place, signer_title, signer_name)
            SELECT row_number() OVER (ORDER BY path), code, name, kind, path,
                   length(path) / 5, NULL,
                   CASE WHEN delegated THEN 'Quyết định ' || code || '-QĐ/HU ủy quyền kết nạp'
                        ELSE '' END, place, '', ''
            FROM t_org ORDER BY path
        """)
        self.sql("organisation parents", """
            UPDATE members_organisation c SET parent_id = p.id FROM members_organisation p
            WHERE p.path = substr(c.path, 1, length(c.path) - 5) AND c.depth > 1
        """)
        # The branches, numbered in a shuffled order (so picking low numbers more often does
        # not pick one province), with the route of their dossiers and their committees.
        self.sql("branches (work table)", """
            CREATE TEMP TABLE t_branch AS
            SELECT row_number() OVER (ORDER BY md5(o.path)) AS n, o.id, o.path,
                   substr(o.path, 6, 5)::int AS province,
                   d.id AS district_id,
                   CASE WHEN o.kind = 'grassroots_branch' THEN o.id ELSE g.id END AS grassroots_id,
                   CASE WHEN o.kind = 'grassroots_branch' THEN 'G'
                        WHEN par.kind = 'partial_committee' THEN 'P'
                        WHEN g.admission_delegated_ref <> '' THEN 'D' ELSE 'N' END AS route
            FROM members_organisation o
            JOIN members_organisation par ON par.id = o.parent_id
            JOIN members_organisation d ON d.path = substr(o.path, 1, 15)
            LEFT JOIN members_organisation g ON g.path = substr(o.path, 1, 20)
            WHERE o.kind IN ('branch', 'grassroots_branch');
            CREATE UNIQUE INDEX ON t_branch (n);
            ANALYZE t_branch;
        """)

    # ------------------------------------------------------------------ candidates
    def routes(self):
        rows = []
        for route, steps in ROUTES.items():
            for i, (action, src, dst, off, doc) in enumerate(steps, 1):
                rows.append((route, i, action, src, dst, off, doc, NUMBERED.get(action, "")))
        self.cur.execute("""CREATE TEMP TABLE t_step (route text, step int, action text,
            from_stage text, to_stage text, off int, doc text, numbered text,
            PRIMARY KEY (route, step))""")
        self.cur.executemany("INSERT INTO t_step VALUES (%s, %s, %s, %s, %s, %s, %s, %s)", rows)
        self.cur.execute("ANALYZE t_step")

    def people_columns(self, r):
        """SQL expressions of a person's identity from random columns of `r`."""
        return f"""
            (CASE WHEN {r}.female THEN
                 (%(fam)s::text[])[1 + floor({r}.r1 * %(nfam)s)::int] || ' ' ||
                 (%(midf)s::text[])[1 + floor({r}.r2 * %(nmidf)s)::int] || ' ' ||
                 (%(givf)s::text[])[1 + floor({r}.r3 * %(ngivf)s)::int]
             ELSE
                 (%(fam)s::text[])[1 + floor({r}.r1 * %(nfam)s)::int] || ' ' ||
                 (%(midm)s::text[])[1 + floor({r}.r2 * %(nmidm)s)::int] || ' ' ||
                 (%(givm)s::text[])[1 + floor({r}.r3 * %(ngivm)s)::int] END) AS full_name,
            (CASE WHEN {r}.female THEN
                 (%(ffam)s::text[])[1 + floor({r}.r1 * %(nfam)s)::int] || ' ' ||
                 (%(fmidf)s::text[])[1 + floor({r}.r2 * %(nmidf)s)::int] || ' ' ||
                 (%(fgivf)s::text[])[1 + floor({r}.r3 * %(ngivf)s)::int]
             ELSE
                 (%(ffam)s::text[])[1 + floor({r}.r1 * %(nfam)s)::int] || ' ' ||
                 (%(fmidm)s::text[])[1 + floor({r}.r2 * %(nmidm)s)::int] || ' ' ||
                 (%(fgivm)s::text[])[1 + floor({r}.r3 * %(ngivm)s)::int] END) AS search_name,
            CASE WHEN {r}.female THEN 'female' ELSE 'male' END AS sex,
            (%(ethnic)s::text[])[1 + floor({r}.r4 * %(nethnic)s)::int] AS ethnicity,
            (%(religion)s::text[])[1 + floor({r}.r5 * %(nreligion)s)::int] AS religion,
            (%(qual)s::text[])[1 + floor({r}.r6 * %(nqual)s)::int] AS qualification,
            CASE WHEN {r}.r7 < 0.8 THEN 'upper_secondary' WHEN {r}.r7 < 0.96
                 THEN 'lower_secondary' ELSE 'primary' END AS education
        """

    def name_params(self):
        fam = _weighted(FAMILY)
        midm, midf = _weighted(MIDDLE_M), _weighted(MIDDLE_F)
        return {
            "fam": fam, "ffam": [_fold(x) for x in fam], "nfam": len(fam),
            "midm": midm, "fmidm": [_fold(x) for x in midm], "nmidm": len(midm),
            "midf": midf, "fmidf": [_fold(x) for x in midf], "nmidf": len(midf),
            "givm": GIVEN_M, "fgivm": [_fold(x) for x in GIVEN_M], "ngivm": len(GIVEN_M),
            "givf": GIVEN_F, "fgivf": [_fold(x) for x in GIVEN_F], "ngivf": len(GIVEN_F),
            "ethnic": ETHNIC, "nethnic": len(ETHNIC), "religion": RELIGION,
            "nreligion": len(RELIGION), "qual": QUALIFICATION, "nqual": len(QUALIFICATION),
            "occg": [g for g, _ in OCCUPATION], "occ": [o for _, o in OCCUPATION],
            "nocc": len(OCCUPATION),
        }

    def candidates(self):
        p = self.name_params()
        self.cur.execute("SELECT setseed(0.2026)")
        self.cur.execute("SELECT count(*) FROM t_branch")
        nb = self.cur.fetchone()[0]
        # The random draws of each candidate, then where they stand on their route.
        self.sql("candidates (work table, draws)", f"""
            CREATE TEMP TABLE t_cand0 AS
            SELECT j, random() < 0.45 AS female, random() r1, random() r2, random() r3,
                   random() r4, random() r5, random() r6, random() r7, random() r8,
                   random() rb, random() ra, random() rk, random() rend, random() rkind,
                   random() rrm, random() rage, random() rsrc, random() rocc
            FROM generate_series(1, {CANDIDATES}) j
        """)
        self.sql("candidates (work table, route)", f"""
            CREATE TEMP TABLE t_cand1 AS
            SELECT c.*, b.id AS branch_id, b.province, b.district_id, b.grassroots_id,
                   b.route || CASE WHEN c.j <= {ADMITTED} AND c.rrm < 0.02 THEN 'R' ELSE '' END
                   AS route,
                   (SELECT max(step) FROM t_step s WHERE s.route = b.route
                      AND s.to_stage = 'admission_decided') AS ad_step
            FROM t_cand0 c JOIN t_branch b ON b.n = 1 + floor(power(c.rb, 1.5) * {nb})::int
        """)
        # Admitted: the ceremony day A spread over 2015 → today; they have taken every step
        # whose day has come. The others: k steps before the decision, the day of step k
        # recent when still open, any time since mid-2015 when they ended there.
        self.sql("candidates (work table, stage)", f"""
            CREATE TEMP TABLE t_cand2 AS
            SELECT c.*, x.a, x.k, x.ending
            FROM t_cand1 c CROSS JOIN LATERAL (
                SELECT a, (SELECT max(step) FROM t_step s WHERE s.route = c.route
                             AND a + s.off <= date '{TODAY}') AS k, NULL::text AS ending
                FROM (SELECT date '2015-01-05' + floor(c.ra * (date '{TODAY}' - 7
                             - date '2015-01-05'))::int AS a) aa
                WHERE c.j <= {ADMITTED}
                UNION ALL
                SELECT dk - s.off, kk, CASE
                    WHEN c.rend >= 0.35 THEN NULL
                    WHEN s.to_stage = 'admission_decided' THEN
                        CASE WHEN c.rkind < 0.5 THEN 'no_ceremony' ELSE 'revoke_admission' END
                    WHEN s.to_stage IN ('at_grassroots', 'partial_appraised')
                         AND c.rkind < 0.4 THEN 'grassroots_refuse'
                    WHEN s.to_stage = 'at_upper' AND c.rkind < 0.3 THEN 'refuse_admission'
                    WHEN c.rkind > 0.93 THEN 'record_death'
                    ELSE 'withdraw' END
                FROM (SELECT 1 + floor(power(c.rk, 1.4) * c.ad_step)::int AS kk) kq
                JOIN t_step s ON s.route = c.route AND s.step = kq.kk
                CROSS JOIN LATERAL (SELECT CASE WHEN c.rend >= 0.35
                    THEN date '{TODAY}' - 1 - floor(c.ra * (CASE WHEN s.to_stage IN
                         ('admission_decided', 'at_upper', 'at_grassroots', 'partial_appraised',
                          'branch_voted') THEN 90 ELSE 720 END))::int
                    ELSE date '2015-06-01' + floor(c.ra * (date '{TODAY}' - 120
                         - date '2015-06-01'))::int END AS dk) d
                WHERE c.j > {ADMITTED}
            ) x
        """)
        self.sql("candidates (work table, fields)", f"""
            CREATE TEMP TABLE t_cand AS
            SELECT c.*, c.j AS id,
                   CASE WHEN c.j <= {ADMITTED} THEN {OLD_MEMBERS} + c.j END AS member_id,
                   s.to_stage AS k_stage, s.action AS k_action, c.a + s.off AS k_date,
                   s.off AS koff,
                   CASE c.ending WHEN 'no_ceremony' THEN 'not_held'
                        WHEN 'revoke_admission' THEN 'revoked'
                        WHEN 'grassroots_refuse' THEN 'rejected'
                        WHEN 'refuse_admission' THEN 'rejected'
                        WHEN 'record_death' THEN 'died' WHEN 'withdraw' THEN 'withdrawn' END
                       AS end_stage,
                   LEAST(c.a + s.off + 20 + floor(c.r8 * 60)::int, date '{TODAY}') AS end_date,
                   c.a - (18 * 365 + floor(c.rage * 17 * 365)::int) - 420 AS birth_date,
                   lpad(c.province::text, 3, '0') || CASE WHEN c.j <= {ADMITTED} THEN '0'
                        ELSE '5' END || lpad(CASE WHEN c.j <= {ADMITTED} THEN {OLD_MEMBERS} + c.j
                        ELSE c.j END::text, 8, '0') AS citizen_id
            FROM t_cand2 c JOIN t_step s ON s.route = c.route AND s.step = c.k;
            CREATE UNIQUE INDEX ON t_cand (id);
            ANALYZE t_cand;
        """)
        people = self.people_columns("c") % {k: _lit(v) for k, v in p.items()}

        def taken(action_offsets, removal=None):
            """The day of a step if taken: `action_offsets` {route letter: offset}."""
            whens = " ".join(
                f"WHEN left(c.route, 1) = '{r}' AND c.koff >= {off} THEN c.a + {off}"
                for r, off in action_offsets.items())
            cond = "" if removal is None else (
                " AND right(c.route, 1) <> 'R'" if removal is False else "")
            return f"CASE WHEN true{cond} THEN CASE {whens} END END"

        def at(off, routes="NPDG"):
            return {r: off for r in routes}

        self.sql("candidates", f"""
            INSERT INTO recruitment_candidate (id, full_name, search_name, birth_date, sex,
                ethnicity, religion, citizen_id, education, education_exemption,
                education_exemption_kind, profession, occupation, occupation_group,
                qualification, youth_union_member, no_youth_union_at_unit, source, added_date,
                plan_year, age_consent_ref, stage, stage_date, due_date, awareness_cert_number,
                awareness_cert_date, awareness_cert_expires, application_date, history_form_date,
                history_certified_date, opinions_date, opinions_summary, branch_vote_date,
                grassroots_resolution_date, decision_number, decision_date, ceremony_date,
                probation_end, new_member_cert_number, new_member_cert_date,
                recognition_vote_date, recognition_decision_number, recognition_decision_date,
                end_reason, created_at, updated_at, helper_id, member_id, organisation_id,
                adult_children, married, former_member_id, readmission_consent_ref,
                returned_by_id)
            SELECT c.id, pp.full_name, pp.search_name, c.birth_date, pp.sex, pp.ethnicity,
                pp.religion, c.citizen_id, pp.education, '', '',
                CASE WHEN pp.qualification IN ('university', 'master', 'doctor') THEN 'Cử nhân'
                     ELSE '' END,
                (%(occ)s::text[])[1 + floor(c.rocc * %(nocc)s)::int],
                (%(occg)s::text[])[1 + floor(c.rocc * %(nocc)s)::int],
                pp.qualification, c.rsrc < 0.7, false,
                CASE WHEN c.rsrc < 0.5 THEN 'youth_union' WHEN c.rsrc < 0.6 THEN 'trade_union'
                     WHEN c.rsrc < 0.7 THEN 'women_union' WHEN c.rsrc < 0.72 THEN 'veterans'
                     ELSE 'other' END,
                c.a - 420, extract(year FROM c.a + 20)::int, '',
                coalesce(c.end_stage, c.k_stage),
                CASE WHEN c.end_stage IS NOT NULL THEN c.end_date
                     WHEN c.k_action = 'record_new_member_certificate' THEN c.a
                     ELSE c.k_date END,
                NULL,
                CASE WHEN c.koff >= -330 THEN c.id || '/GCN-NT' ELSE '' END,
                {taken(at(-330))}, ({taken(at(-330))}) + interval '60 months',
                {taken(at(-240))}, {taken(at(-160 + 10))} - 10, {taken(at(-150))},
                {taken(at(-90))},
                CASE WHEN c.koff >= -90 THEN 'Các đoàn thể và chi ủy nơi cư trú đồng ý.'
                     ELSE '' END,
                {taken(at(-70))}, {taken({'N': -45, 'P': -45, 'D': -35})},
                CASE WHEN left(c.route, 1) = 'D' AND c.koff >= -35 THEN c.id || '/QĐ-KN/ĐU'
                     WHEN c.koff >= -25 THEN c.id || '/QĐ-KN/HU' ELSE '' END,
                {taken({'N': -25, 'P': -25, 'G': -25, 'D': -35})},
                {taken(at(0))}, ({taken(at(0))}) + interval '12 months',
                CASE WHEN c.koff >= 150 THEN c.id || '/GCN-ĐVM' ELSE '' END, {taken(at(150))},
                {taken(at(372), removal=False)},
                CASE WHEN right(c.route, 1) = 'R' THEN ''
                     WHEN left(c.route, 1) = 'D' AND c.koff >= 390 THEN c.id || '/QĐ-CN/ĐU'
                     WHEN c.koff >= 400 THEN c.id || '/QĐ-CN/HU' ELSE '' END,
                {taken({'N': 400, 'P': 400, 'G': 400, 'D': 390}, removal=False)},
                CASE WHEN c.end_stage IS NOT NULL OR (right(c.route, 1) = 'R'
                          AND c.koff >= 390) THEN 'Theo đề nghị của chi bộ.' ELSE '' END,
                (c.a - 420)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh',
                now(), NULL,
                CASE WHEN c.koff >= 0 THEN c.member_id END,
                c.branch_id, 0, c.rage > 0.4, NULL, '', NULL
            FROM t_cand c CROSS JOIN LATERAL (SELECT {people}) pp
            ORDER BY c.id
        """, {"occ": [o for _, o in OCCUPATION], "occg": [g for g, _ in OCCUPATION],
              "nocc": len(OCCUPATION)})

    def events(self):
        self.sql("stage events", """
            INSERT INTO recruitment_stageevent (candidate_id, action, from_stage, to_stage,
                event_date, document_form, document_number, note, warnings, actor_id,
                recorded_at, imported, payload, organisation_id)
            SELECT candidate_id, action, from_stage, to_stage, event_date, doc, number, '',
                   '[]'::jsonb, NULL, recorded_at, false, '{}'::jsonb, branch_id
            FROM (
                SELECT c.id AS candidate_id, s.step, s.action, s.from_stage, s.to_stage,
                       c.a + s.off AS event_date, s.doc,
                       CASE WHEN s.numbered <> '' THEN c.id || '/' || s.numbered
                            ELSE '' END AS number,
                       ((c.a + s.off)::timestamp + interval '9 hours' + s.step * interval '1 min')
                           AT TIME ZONE 'Asia/Ho_Chi_Minh' AS recorded_at, c.branch_id
                FROM t_cand c JOIN t_step s ON s.route = c.route AND s.step <= c.k
                UNION ALL
                SELECT c.id, 100, c.ending, c.k_stage, c.end_stage, c.end_date,
                       CASE c.ending WHEN 'withdraw' THEN 'Đơn, biên bản của chi bộ'
                            WHEN 'record_death' THEN 'Giấy báo tử' ELSE '' END,
                       CASE WHEN c.ending = 'revoke_admission' THEN c.id || '/QĐ-HB/HU'
                            ELSE '' END,
                       (c.end_date::timestamp + interval '15 hours')
                           AT TIME ZONE 'Asia/Ho_Chi_Minh', c.branch_id
                FROM t_cand c WHERE c.ending IS NOT NULL
            ) e
            ORDER BY candidate_id, step
        """)

    def papers(self):
        vote_kinds = " ".join(f"WHEN '{a}' THEN '{k}'" for a, k in VOTES.items())
        self.sql("votes", f"""
            INSERT INTO recruitment_vote (candidate_id, kind, vote_date, resolution_number,
                eligible, present, votes_for, votes_against, event_id)
            SELECT e.candidate_id, CASE e.action {vote_kinds} END, e.event_date,
                   e.document_number, el, el - mod(e.id, 3), el - mod(e.id, 3) - mod(e.id, 2),
                   mod(e.id, 2),
                   e.id
            FROM recruitment_stageevent e
            CROSS JOIN LATERAL (SELECT CASE WHEN e.action IN ('branch_vote', 'recognition_vote',
                'recognition_vote_to_upper', 'propose_removal', 'propose_removal_to_upper')
                THEN 12 + mod(e.candidate_id, 30) ELSE 9 + mod(e.candidate_id, 7) END AS el) v
            WHERE e.action = ANY(%s)
        """, [list(VOTES)])
        kinds = " ".join(f"WHEN '{a}' THEN '{k}'" for a, (k, _) in DECISIONS.items())
        by_grassroots = [a for a, (_, who) in DECISIONS.items() if who == "grassroots"]
        self.sql("decisions", f"""
            INSERT INTO recruitment_decision (candidate_id, kind, number, decision_date,
                decided_by_id, is_list, event_id)
            SELECT e.candidate_id, CASE e.action {kinds} END, e.document_number, e.event_date,
                   CASE WHEN e.action = ANY(%s) THEN c.grassroots_id ELSE c.district_id END,
                   false, e.id
            FROM recruitment_stageevent e JOIN t_cand c ON c.id = e.candidate_id
            WHERE e.action = ANY(%s)
        """, [by_grassroots, list(DECISIONS)])
        self.sql("introductions (youth union)", """
            INSERT INTO recruitment_introduction (candidate_id, kind, resolution_ref,
                document_date, known_since, is_replacement, introducer_id, event_id)
            SELECT e.candidate_id, 'youth_union', e.candidate_id || '-NQ/ĐTN', e.event_date - 5,
                   NULL, false, NULL, e.id
            FROM recruitment_stageevent e
            WHERE e.action = 'record_introductions' AND e.candidate_id % 5 < 3
        """)

    def classes(self):
        self.sql("training classes", """
            INSERT INTO recruitment_trainingclass (code, kind, course_number, year,
                decision_number, decision_date, start_date, end_date, place, created_at,
                created_by_id, organiser_id)
            SELECT o.code || CASE k WHEN 'awareness' THEN '-NT-' ELSE '-DVM-' END || y || '-' || q,
                   k, q::text, y, q || '-QĐ/HU', make_date(y, 3 * q - 2, 1),
                   make_date(y, 3 * q - 2, 5), make_date(y, 3 * q - 2, 10),
                   'Trung tâm Chính trị ' || o.name, now(), NULL, o.id
            FROM members_organisation o, generate_series(2015, 2026) y,
                 generate_series(1, 4) q, unnest(ARRAY['awareness', 'new_member']) k
            WHERE o.depth = 3
        """)
        self.cur.execute("ANALYZE recruitment_trainingclass")
        for label, kind, number, day, person in [
                ("awareness", "awareness", "awareness_cert_number", "awareness_cert_date",
                 "c.id, NULL::bigint"),
                ("new members", "new_member", "new_member_cert_number", "new_member_cert_date",
                 "NULL::bigint, c.member_id")]:
            self.sql(f"enrolments ({label})", f"""
                INSERT INTO recruitment_enrolment (result, certificate_number, certificate_date,
                    recorded_in_pipeline, enrolled_at, candidate_id, member_id, enrolled_by_id,
                    training_class_id)
                SELECT 'passed', x.number, x.day, true, now(), x.candidate_id, x.member_id, NULL,
                       tc.id
                FROM (SELECT c.{number} AS number, c.{day} AS day, t.district_id,
                             extract(year FROM c.{day})::int AS y,
                             (1 + (extract(month FROM c.{day})::int - 1) / 3)::text AS q,
                             {person}
                      FROM recruitment_candidate c JOIN t_cand t ON t.id = c.id
                      WHERE c.{day} IS NOT NULL) x (number, day, district_id, y, q,
                                                    candidate_id, member_id)
                JOIN recruitment_trainingclass tc ON tc.organiser_id = x.district_id
                     AND tc.kind = '{kind}' AND tc.year = x.y AND tc.course_number = x.q
            """)

    # ------------------------------------------------------------------ members
    def members(self):
        p = self.name_params()
        self.cur.execute("SELECT setseed(0.1930)")
        self.cur.execute("SELECT count(*) FROM t_branch")
        nb = self.cur.fetchone()[0]
        people = self.people_columns("r") % {k: _lit(v) for k, v in p.items()}
        # The members as they entered their branch's list: the old ones from draws, the new
        # ones from their candidate records.
        self.sql("members (work table, entry)", f"""
            CREATE TEMP TABLE t_mem0 AS
            SELECT i AS id, pp.full_name, pp.search_name, pp.sex, pp.ethnicity, pp.religion,
                   pp.education, pp.qualification, b.id AS branch_id, b.province,
                   date '1965-01-01' + floor(power(r.ra, 0.6)
                       * (date '2014-12-31' - date '1965-01-01'))::int AS admitted_date,
                   r.rb2, r.rage, r.rt, r.rtd, r.re, r.red, r.rtb, NULL::date AS decision_date,
                   NULL::text AS decision_number, 'official' AS status0,
                   NULL::date AS left0, '' AS left_document0, NULL::date AS official0,
                   NULL::date AS birth0, NULL::text AS citizen0
            FROM (SELECT i, random() < 0.4 AS female, random() r1, random() r2, random() r3,
                         random() r4, random() r5, random() r6, random() r7, random() rb,
                         random() ra, random() rb2, random() rage, random() rt, random() rtd,
                         random() re, random() red, random() rtb
                  FROM generate_series(1, {OLD_MEMBERS}) i) r
            JOIN t_branch b ON b.n = 1 + floor(power(r.rb, 1.5) * {nb})::int
            CROSS JOIN LATERAL (SELECT {people}) pp
            UNION ALL
            SELECT t.member_id, c.full_name, c.search_name, c.sex, c.ethnicity, c.religion,
                   c.education, c.qualification, c.organisation_id, t.province, c.ceremony_date,
                   random(), random(), random(), random(), random(), random(), random(),
                   c.decision_date, c.decision_number,
                   CASE c.stage WHEN 'official' THEN 'official' WHEN 'removed' THEN 'removed'
                        ELSE 'probationary' END,
                   CASE WHEN c.stage = 'removed' THEN c.stage_date END,
                   CASE WHEN c.stage = 'removed' THEN t.id || CASE WHEN left(t.route, 1) = 'D'
                        THEN '/QĐ-XT/ĐU' ELSE '/QĐ-XT/HU' END ELSE '' END,
                   CASE WHEN c.stage = 'official' THEN c.probation_end END,
                   c.birth_date, c.citizen_id
            FROM recruitment_candidate c JOIN t_cand t ON t.id = c.id
            WHERE t.member_id IS NOT NULL AND c.member_id IS NOT NULL
        """)
        # Their lives since 2016: ~5 % move to another branch, ~4.5 % leave (died, transferred
        # out, expelled, resigned), official members only, a move always before a leave.
        self.sql("members (work table, life)", f"""
            CREATE TEMP TABLE t_mem AS
            SELECT m.*, t.tdate, CASE WHEN t.tdate IS NOT NULL THEN
                       (SELECT b.id FROM t_branch b
                        WHERE b.n = 1 + floor(m.rtb * {nb})::int) END AS tto,
                   x.ekind, x.edate
            FROM t_mem0 m
            CROSS JOIN LATERAL (SELECT greatest(m.admitted_date + 60, date '2016-01-01')
                                AS lo) l
            CROSS JOIN LATERAL (SELECT CASE WHEN m.status0 = 'official' AND m.rt < 0.05
                                  AND l.lo < date '{TODAY}' - 30
                THEN l.lo + floor(m.rtd * (date '{TODAY}' - 30 - l.lo))::int END AS tdate) t
            CROSS JOIN LATERAL (SELECT CASE WHEN m.re < 0.03 THEN 'died'
                    WHEN m.re < 0.04 THEN 'transfer_out' WHEN m.re < 0.042 THEN 'expelled'
                    WHEN m.re < 0.045 THEN 'resigned' END AS ekind,
                    coalesce(t.tdate + 1, l.lo) AS elo) e0
            CROSS JOIN LATERAL (SELECT e0.ekind, e0.elo + floor(m.red * (date '{TODAY}' - 1
                    - e0.elo))::int AS edate
                WHERE m.status0 = 'official' AND e0.ekind IS NOT NULL
                  AND e0.elo < date '{TODAY}' - 1
                UNION ALL SELECT NULL, NULL WHERE NOT (m.status0 = 'official'
                  AND e0.ekind IS NOT NULL AND e0.elo < date '{TODAY}' - 1)) x;
            UPDATE t_mem SET tto = (SELECT b.id FROM t_branch b WHERE b.n = 1 +
                (floor(rtb * {nb})::int + 1) % {nb}) WHERE tto = branch_id;
            ANALYZE t_mem;
        """)
        self.sql("members", """
            INSERT INTO members_member (id, full_name, search_name, birth_date, sex, ethnicity,
                religion, citizen_id, card_number, admitted_date, official_date, status,
                education, profession, created_at, updated_at, organisation_id, left_date,
                left_document, left_reason, temporary_organisation_id, qualification)
            SELECT m.id, m.full_name, m.search_name,
                   coalesce(m.birth0, m.admitted_date - (18 * 365
                       + floor(m.rage * 22 * 365)::int)),
                   m.sex, m.ethnicity, m.religion,
                   coalesce(m.citizen0, lpad(m.province::text, 3, '0') || '0'
                       || lpad(m.id::text, 8, '0')),
                   CASE WHEN m.status0 <> 'probationary' THEN lpad(m.id::text, 10, '0') END,
                   m.admitted_date,
                   CASE WHEN m.status0 = 'official' THEN
                       coalesce(m.official0, m.admitted_date + interval '12 months') END,
                   CASE m.ekind WHEN 'died' THEN 'died' WHEN 'transfer_out' THEN 'transferred_out'
                        WHEN 'expelled' THEN 'expelled' WHEN 'resigned' THEN 'resigned'
                        ELSE m.status0 END,
                   m.education, CASE WHEN m.qualification IN ('university', 'master', 'doctor')
                       THEN 'Cử nhân' ELSE '' END,
                   (m.admitted_date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'), now(),
                   coalesce(m.tto, m.branch_id), coalesce(m.edate, m.left0),
                   CASE WHEN m.ekind IS NOT NULL AND m.ekind <> 'died' THEN m.id || '-QĐ'
                        ELSE m.left_document0 END,
                   CASE m.ekind WHEN 'expelled' THEN 'other' WHEN 'resigned' THEN 'resigned'
                        ELSE CASE WHEN m.left0 IS NOT NULL THEN 'other' ELSE '' END END,
                   NULL, m.qualification
            FROM t_mem m ORDER BY m.id
        """)
        self.sql("movements", f"""
            INSERT INTO members_movement (member_id, kind, date, from_organisation_id,
                to_organisation_id, outside_place, document_number, reason, note, actor_id,
                recorded_at, imported, decision_date)
            SELECT member_id, kind, date, src, dst, outside, number, reason, '', NULL,
                   (date::timestamp + interval '10 hours') AT TIME ZONE 'Asia/Ho_Chi_Minh',
                   imported, decision_date
            FROM (
                SELECT id AS member_id, 1 AS o,
                       CASE WHEN id > {OLD_MEMBERS} THEN 'admitted' ELSE 'present' END AS kind,
                       admitted_date AS date, NULL::bigint AS src, branch_id AS dst,
                       '' AS outside, coalesce(decision_number, '') AS number, '' AS reason,
                       id <= {OLD_MEMBERS} AS imported, decision_date
                FROM t_mem
                UNION ALL
                SELECT id, 2, 'transfer_within', tdate, branch_id, tto, '', id || '-CSH', '',
                       false, NULL FROM t_mem WHERE tdate IS NOT NULL
                UNION ALL
                SELECT id, 3, ekind, edate, coalesce(tto, branch_id), NULL,
                       CASE WHEN ekind = 'transfer_out' THEN 'Đảng bộ ngoài hệ thống'
                            ELSE '' END,
                       CASE WHEN ekind = 'died' THEN '' ELSE id || '-QĐ' END,
                       CASE ekind WHEN 'expelled' THEN 'other' WHEN 'resigned' THEN 'resigned'
                            ELSE '' END, false, NULL FROM t_mem WHERE ekind IS NOT NULL
                UNION ALL
                SELECT id, 3, 'removed', left0, branch_id, NULL, '', left_document0, '', false,
                       NULL FROM t_mem WHERE left0 IS NOT NULL
            ) mv
            ORDER BY member_id, o
        """)

    # ------------------------------------------------------------------ the rest
    def headcounts_terms_targets(self):
        self.cur.execute("SELECT setseed(0.1945)")
        self.sql("staff headcounts", """
            INSERT INTO members_staffheadcount (organisation_id, valid_from, staff, actor_id,
                recorded_at, imported)
            SELECT id, valid_from, staff, NULL, now(), imported FROM (
                SELECT o.id, r, rc, staff0 FROM (
                    SELECT id, kind, random() AS r, random() AS rc, random() AS rs
                    FROM members_organisation WHERE kind IN ('grassroots_committee',
                        'grassroots_branch', 'branch')) o
                CROSS JOIN LATERAL (SELECT CASE WHEN o.kind = 'branch'
                    THEN 10 + floor(o.rs * 50)::int ELSE 60 + floor(o.rs * 240)::int END
                    AS staff0) s
                WHERE (o.kind = 'branch' AND o.r < 0.3) OR (o.kind <> 'branch' AND o.r < 0.7)
            ) h CROSS JOIN LATERAL (
                SELECT date '1930-02-03' AS valid_from, staff0 AS staff, true AS imported
                UNION ALL
                SELECT date '2023-01-01' + floor(h.rc * 1000)::int % 365, staff0
                       + (floor(h.rc * 10)::int % 5 - 2) * 5 + 1, false WHERE h.rc < 0.2
            ) v
        """)
        self.sql("terms", """
            INSERT INTO reports_term (organisation_id, label, start_date, end_date, updated_at,
                recorded_by_id)
            SELECT id, label, s, e, now(), NULL FROM members_organisation,
                (VALUES ('2020-2025', date '2020-10-15', date '2025-10-15'),
                        ('2025-2030', date '2025-10-15', date '2030-10-15')) t(label, s, e)
            WHERE path = '00001'
        """)
        # Targets: the admissions of a term, about what the data admits.
        self.sql("targets", f"""
            INSERT INTO reports_target (organisation_id, year, term, admissions, updated_at,
                set_by_id)
            SELECT o.id, NULL::int, t.label, greatest(1, round(t.n * share))::int, now(),
                   NULL::int
            FROM (SELECT id, depth, CASE depth WHEN 1 THEN 1.0 WHEN 2 THEN 1.0 / {PROVINCES}
                         WHEN 3 THEN 1.0 / {PROVINCES * DISTRICTS}
                         ELSE 1.0 / {PROVINCES * DISTRICTS * GRASSROOTS} END AS share
                  FROM members_organisation
                  WHERE depth <= 3 OR kind IN ('grassroots_committee', 'grassroots_branch')) o,
                 (VALUES ('2020-2025', 200000), ('2025-2030', 200000)) t(label, n)
            WHERE o.depth <= 2 OR t.label = '2025-2030'
            UNION ALL
            SELECT o.id, y, '', greatest(1, round(40000.0 * CASE o.depth WHEN 1 THEN 1
                   WHEN 2 THEN 1.0 / {PROVINCES} ELSE 1.0 / {PROVINCES * DISTRICTS} END))::int,
                   now(), NULL::int
            FROM members_organisation o, generate_series(2025, 2026) y WHERE o.depth <= 3
        """)

    def sequences(self):
        for table in ["members_organisation", "members_member", "members_movement",
                      "recruitment_candidate", "recruitment_stageevent", "recruitment_vote",
                      "recruitment_decision", "recruitment_trainingclass",
                      "recruitment_enrolment", "recruitment_introduction",
                      "members_staffheadcount", "reports_term", "reports_target"]:
            self.cur.execute(f"""SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                                 coalesce((SELECT max(id) FROM {table}), 1))""")


def _lit(value):
    """A value inlined into SQL text (the name arrays; they hold no quotes but H'Mông)."""
    if isinstance(value, list):
        return "ARRAY[" + ",".join("'" + str(v).replace("'", "''") + "'" for v in value) + "]"
    return str(value)


def secondary_indexes(cur):
    """The indexes of the big tables that no constraint owns: (name, definition)."""
    cur.execute("""
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
    """, [BIG_TABLES])
    return cur.fetchall()


def build():
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cur:
        b = Builder(cur)
        cur.execute("SET synchronous_commit = off")
        cur.execute("SET work_mem = '512MB'")
        cur.execute("SET maintenance_work_mem = '2GB'")
        cur.execute("SET max_parallel_workers_per_gather = 0")  # random() in one order
        cur.execute("SET jit = off")
        cur.execute("SET session_replication_role = replica")  # no FK triggers while loading
        cur.execute("""CREATE TABLE IF NOT EXISTS bench_national_marker (
            version text PRIMARY KEY, finished_at timestamptz, seconds real, counts jsonb)""")
        cur.execute("DELETE FROM bench_national_marker")
        indexes = secondary_indexes(cur)
        for name, _definition in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        print(f"dropped {len(indexes)} secondary indexes for the load", flush=True)
        b.tree()
        b.routes()
        b.candidates()
        b.events()
        b.papers()
        b.members()
        b.classes()
        b.headcounts_terms_targets()
        b.sequences()
        cur.execute("SET session_replication_role = origin")
        cur.execute("SET max_parallel_maintenance_workers = 2")
        t = time.perf_counter()
        for _name, definition in indexes:
            cur.execute(definition)
        print(f"  indexes made again: {time.perf_counter() - t:6.1f} s", flush=True)
        for table in ["t_org", "t_branch", "t_step", "t_cand0", "t_cand1", "t_cand2", "t_cand",
                      "t_mem0", "t_mem"]:
            cur.execute(f"DROP TABLE IF EXISTS {table}")
    make_users()
    with connection.cursor() as cur:
        t = time.perf_counter()
        for table in BIG_TABLES + ["members_organisation", "recruitment_trainingclass",
                                   "reports_target", "reports_term"]:
            cur.execute(f"VACUUM ANALYZE {table}")
        cur.execute("ANALYZE")
        print(f"  vacuum analyze: {time.perf_counter() - t:6.1f} s", flush=True)
        seconds = time.perf_counter() - started
        counts = row_counts()
        import json
        cur.execute("INSERT INTO bench_national_marker VALUES (%s, now(), %s, %s)",
                    [VERSION, seconds, json.dumps(counts)])
    print(f"built the country in {seconds:.0f} s", flush=True)


def bench_places():
    """The root, the bench province (T01), the bench branch (a branch of T01 whose member
    count is the province's median) and its grassroots committee."""
    from django.db import connection

    from members.models import Organisation

    root = Organisation.objects.get(code="TW")
    province = Organisation.objects.get(code="T01")
    with connection.cursor() as cur:
        cur.execute("""
            SELECT o.id FROM members_organisation o
            JOIN members_member m ON m.organisation_id = o.id
            WHERE o.kind = 'branch' AND o.path LIKE %s AND o.depth = 5
              AND m.status IN ('official', 'probationary')
            GROUP BY o.id ORDER BY count(*), o.id
        """, [province.path + "%"])
        ids = [r[0] for r in cur.fetchall()]
    branch = Organisation.objects.select_related("parent").get(pk=ids[len(ids) // 2])
    return {"root": root, "province": province, "branch": branch,
            "grassroots": branch.parent}


def make_users():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from members.models import RoleGrant

    places = bench_places()
    hasher = PBKDF2PasswordHasher()
    User = get_user_model()
    for username, role, where, staff in USERS:
        user, _ = User.objects.update_or_create(
            username=username, defaults={
                "password": hasher.encode(PASSWORD, hasher.salt()), "is_staff": staff,
                "is_active": True, "first_name": username})
        RoleGrant.objects.filter(user=user).delete()
        RoleGrant.objects.create(user=user, role=role, organisation=places[where])
    print(f"users (password {PASSWORD}):")
    for username, role, where, _staff in USERS:
        print(f"  {username:22} {role:18} at {places[where].code} ({places[where].name})")


def row_counts():
    from django.db import connection

    tables = {"organisations": "members_organisation", "members": "members_member",
              "movements": "members_movement", "candidates": "recruitment_candidate",
              "stage events": "recruitment_stageevent", "votes": "recruitment_vote",
              "decisions": "recruitment_decision", "classes": "recruitment_trainingclass",
              "enrolments": "recruitment_enrolment", "introductions": "recruitment_introduction",
              "staff headcounts": "members_staffheadcount", "targets": "reports_target",
              "terms": "reports_term"}
    counts = {}
    with connection.cursor() as cur:
        for label, table in tables.items():
            cur.execute(f"SELECT count(*) FROM {table}")
            counts[label] = cur.fetchone()[0]
    return counts


def print_counts():
    from django.db import connection

    for label, n in row_counts().items():
        print(f"  {label:17} {n:>12,}")
    with connection.cursor() as cur:
        cur.execute("SELECT kind, count(*) FROM members_organisation GROUP BY 1 ORDER BY 1")
        print("  organisations by kind: " + ", ".join(f"{k} {n:,}" for k, n in cur.fetchall()))
        cur.execute("SELECT kind, count(*) FROM members_movement GROUP BY 1 ORDER BY 2 DESC")
        print("  movements by kind: " + ", ".join(f"{k} {n:,}" for k, n in cur.fetchall()))
        cur.execute("SELECT status, count(*) FROM members_member GROUP BY 1 ORDER BY 2 DESC")
        print("  members by status: " + ", ".join(f"{k} {n:,}" for k, n in cur.fetchall()))
        cur.execute("SELECT stage, count(*) FROM recruitment_candidate GROUP BY 1 ORDER BY 2 DESC")
        print("  candidates by stage: " + ", ".join(f"{k} {n:,}" for k, n in cur.fetchall()))


def built() -> bool:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass('bench_national_marker')")
        if cur.fetchone()[0] is None:
            return False
        cur.execute("SELECT 1 FROM bench_national_marker WHERE version = %s", [VERSION])
        return cur.fetchone() is not None


def has_data() -> bool:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass('members_organisation')")
        if cur.fetchone()[0] is None:
            return False
        cur.execute("SELECT EXISTS (SELECT 1 FROM members_organisation)")
        return cur.fetchone()[0]


def run_rollups():
    """`manage.py rollups rebuild`, when another change has added the command."""
    env = dict(os.environ)
    manage = [sys.executable, str(ROOT_DIR / "manage.py")]
    listing = subprocess.run(manage + ["help", "--commands"], env=env, capture_output=True,
                             text=True)
    if "rollups" not in listing.stdout.split():
        print("rollups: no such command yet, skipped")
        return
    # A migration that adds the rollups' table may have come after this process started.
    subprocess.run(manage + ["migrate", "--verbosity", "0"], env=env, check=True)
    started = time.perf_counter()
    done = subprocess.run(manage + ["rollups", "rebuild"], env=env)
    print(f"rollups rebuild: exit {done.returncode} in {time.perf_counter() - started:.0f} s",
          flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--reuse", action="store_true", default=True,
                      help="keep a finished build (default)")
    mode.add_argument("--rebuild", action="store_true", help="drop the database, build again")
    parser.add_argument("--no-rollups", action="store_true", help="skip manage.py rollups")
    args = parser.parse_args()

    ensure_database(URL, drop=args.rebuild)
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if not args.rebuild and not built() and has_data():
        print("an unfinished build is in the database: dropping it and building again")
        connection.close()
        ensure_database(URL, drop=True)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - started:.0f} s", flush=True)
    if built():
        print(f"{URL.rsplit('/', 1)[1]}: a finished build ({VERSION}) is there, reused")
        make_users()
    else:
        build()
        if not args.no_rollups:
            run_rollups()
    print_counts()


if __name__ == "__main__":
    main()
