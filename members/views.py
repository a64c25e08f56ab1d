"""Pages of the members app: home per role, the organisation tree, members."""
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import fields, registry, selectors
from .auth import role_required
from .models import PATH_STEP, MemberStatus, Role
from .paging import keyset_page

# What each role does here, shown on its home page (links are URL names, with a query string
# as a third item when the link opens a filtered list).
ROLE_HOME = {
    Role.BRANCH_SECRETARY: {
        "summary": _("Theo dõi quần chúng ưu tú và đảng viên của chi bộ mình: lập danh sách "
                     "dự nguồn, phân công đảng viên giúp đỡ, ghi nhận biểu quyết của chi bộ, "
                     "lễ kết nạp và chuyển đảng chính thức."),
        "links": [("recruitment:candidate_create", _("Thêm quần chúng ưu tú")),
                  ("recruitment:paper_file_create", _("Nhập hồ sơ đã có trên giấy")),
                  ("recruitment:candidate_list", _("Quần chúng và hồ sơ của chi bộ")),
                  ("recruitment:worklist", _("Việc cần làm")),
                  ("members:member_list", _("Đảng viên của chi bộ"))],
    },
    Role.GRASSROOTS_OFFICE: {
        "summary": _("Tiếp nhận hồ sơ các chi bộ gửi lên, ghi nhận ý kiến đảng bộ bộ phận và "
                     "nghị quyết của đảng ủy cơ sở, chuyển hồ sơ lên cấp trên hoặc trả lại."),
        # Only what the branches sent up and waits for the office (recruitment's `cho=toi`).
        "links": [("recruitment:candidate_list", _("Hồ sơ các chi bộ gửi lên"), "?cho=toi"),
                  ("recruitment:worklist", _("Việc cần làm")),
                  ("members:organisations", _("Các chi bộ trực thuộc")),
                  ("members:member_list", _("Đảng viên trong đảng bộ"))],
    },
    Role.ORG_DEPARTMENT: {
        "summary": _("Thẩm định hồ sơ kết nạp và công nhận đảng viên chính thức, ra quyết định, "
                     "mở lớp bồi dưỡng, giao chỉ tiêu phát triển đảng viên."),
        "links": [("recruitment:examination_queue", _("Hồ sơ chờ thẩm định")),
                  ("recruitment:worklist", _("Việc cần làm")),
                  ("recruitment:candidate_list", _("Tra cứu hồ sơ kết nạp")),
                  ("reports:insight", _("Phân tích: hồ sơ chờ ở đâu, đơn vị nào chậm")),
                  ("members:organisations", _("Cây tổ chức đảng")),
                  ("members:member_list", _("Tra cứu đảng viên"))],
    },
    Role.LEADERSHIP: {
        "summary": _("Theo dõi kết quả phát triển đảng viên so với chỉ tiêu và tải báo cáo "
                     "năm, báo cáo nhiệm kỳ."),
        "links": [("reports:index", _("Báo cáo năm, báo cáo nhiệm kỳ")),
                  ("reports:insight", _("Phân tích và dự báo kết nạp")),
                  ("recruitment:worklist", _("Việc đến hạn, quá hạn")),
                  ("recruitment:candidate_list", _("Hồ sơ kết nạp")),
                  ("members:organisations", _("Tổ chức đảng và số đảng viên"))],
    },
    Role.ADMINISTRATOR: {
        "summary": _("Quản lý cây tổ chức đảng, tài khoản người dùng và phân quyền, nhập dữ liệu "
                     "lịch sử."),
        "links": [("admin:index", _("Trang quản trị")),
                  ("members:organisations", _("Cây tổ chức đảng"))],
    },
}


@login_required
def home(request):
    user = request.user
    roles = selectors.roles_of(user)
    if not roles:
        return render(request, "members/no_role.html",
                      {"support_contact": settings.SUPPORT_CONTACT}, status=403)
    cards = []
    for role in Role:
        if role not in roles:
            continue
        orgs = [g.organisation for g in selectors.grants_of(user) if g.role == role]
        role_home = ROLE_HOME[role]
        cards.append({
            "role": role, "organisations": orgs, "summary": role_home["summary"],
            # (address, label): a link's query string kept (a filtered list).
            "hrefs": [(reverse(name) + "".join(query), label)
                      for name, label, *query in role_home["links"]],
        })
    # What needs the user now (an upper app's returned dossiers…), at the top of every home;
    # a role's own home page reads it from the request.
    request.home_panels = [html for entry in registry.home_panels.values()
                           if (html := registry.load(entry)(request))]
    # An app built on members may give a role a richer home (reports: the leadership's
    # dashboard); the cards go along so it can show them too.
    for card in cards:
        page = registry.home_pages.get(card["role"])
        if page is not None:
            return registry.load(page)(request, cards)
    return render(request, "members/home.html", {"cards": cards})


@role_required
def organisations(request):
    """The tree browser starts at the top of the user's scope."""
    tops = selectors.top_organisations_for(request.user)
    if len(tops) == 1:
        return redirect("members:organisation_detail", code=tops[0].code)
    return render(request, "members/organisation_roots.html", {"organisations": tops})


@role_required
def organisation_detail(request, code):
    user = request.user
    organisation = selectors.get_visible_or_404(
        selectors.organisations_visible_to(user), code=code
    )
    ancestors = [a for a in organisation.ancestors() if selectors.can_see(user, a)]
    q = request.GET.get("q", "").strip()
    children = organisation.children.order_by("path")
    if q:
        children = organisation.descendants().filter(
            Q(name__icontains=q) | Q(code__iexact=q)
        ).order_by("path")
    page = Paginator(children, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.member_counts_by_child(organisation) if not q else {}
    child_len = len(organisation.path) + PATH_STEP
    rows = [(child, counts.get(child.path[:child_len], {})) for child in page]
    return render(request, "members/organisation_detail.html", {
        "organisation": organisation,
        "ancestors": ancestors,
        "totals": selectors.member_totals(organisation),
        "rows": rows,
        "page": page,
        "q": q,
    })


@role_required
def member_list(request):
    user = request.user
    filters = selectors.member_filters(request.GET)
    members, name_match = selectors.member_search(user, **filters)
    branches = list(selectors.branches_visible_to(user).only("code", "name")
                    .order_by("path")[: fields.SELECT_LIMIT + 1])
    # Pages by keyset (`?sau=<name>|<id>`): a deep page reads its rows from the cursor on.
    page = keyset_page(request, members, order=selectors.MEMBER_ORDER, match=name_match,
                       broad=selectors.sees_whole_trees(user))
    return render(request, "members/member_list.html", {
        "page": page,
        **filters,
        # A long list of branches becomes a code box instead of a drop-down.
        "branches": branches[:fields.SELECT_LIMIT],
        "branch_select": len(branches) <= fields.SELECT_LIMIT,
        "statuses": MemberStatus.choices,
    })


@role_required
def member_detail(request, pk):
    member = selectors.get_visible_or_404(selectors.members_visible_to(request.user), pk=pk)
    ancestors = [a for a in member.organisation.ancestors()
                 if selectors.can_see(request.user, a)]
    return render(request, "members/member_detail.html", {
        "member": member, "ancestors": ancestors,
        "history": selectors.person_history(request.user, member),
    })
