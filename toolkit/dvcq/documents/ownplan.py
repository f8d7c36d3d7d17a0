"""What a report says of its issuer's own plan (issue 24 §3): the plan cited in the opening by number, date and
title ("Thực hiện Kế hoạch số 12/KH-UBND ngày 23/01/2024 của Ủy ban nhân dân huyện Như Thanh về …"), its tasks done
in the period in "Lãnh đạo, chỉ đạo" ("đã hoàn thành 3/3 nhiệm vụ của Kế hoạch đến hạn trong kỳ") and its tasks due
in the next period and overdue in "Phương hướng, nhiệm vụ".

Built from ``dvcq.model.PlanOutline``: the plan workbook's own cells, carried from intake through the roll-up's
hidden data (``Rollup.own_plan``). Every count is a claim whose basis is the plan (its file, the as-of day).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dvcq import fmt
from dvcq.forms.spec import PLAN, load_form
from dvcq.intake.progress import task_closed, task_overdue
from dvcq.model import PlanOutline, PlanTask

from .claims import Basis, Claim, Source, derived

NAMED = 3  # done tasks named in "Lãnh đạo, chỉ đạo"
_IN_WORDS = {1: "một", 2: "hai", 3: "ba", 4: "bốn", 5: "năm"}  # NAMED in the rule's words (a figure would be a claim)
AHEAD = 5  # tasks due in the next period named in "Phương hướng, nhiệm vụ" (the others counted)
DONE = "Đã hoàn thành"


@dataclass(frozen=True)
class PlanCitation:
    """The issuer's own plan as the opening cites it; each part '' (None) when its cell is blank. ``upper``: the
    numbered plans of other bodies it implements (the upper level's), cited before it."""
    number: str  # "12/KH-UBND"
    signed: date | None
    title: str  # as written: "Thực hiện công tác dân vận chính quyền … năm 2024"
    issuer: str  # the issuing body as written, else the report's issuer
    upper: tuple["PlanCitation", ...] = ()

    @property
    def subject(self) -> str:
        """The title after "về": its first letter lower case unless it starts an abbreviation ("UBND")."""
        t = self.title
        return t[:1].lower() + t[1:] if len(t) > 1 and not t[1].isupper() else t


@dataclass(frozen=True)
class TaskLine:
    """A task of the plan as a report names it: its content, and its deadline or day done in words."""
    text: str  # without its final full stop
    due: str  # "30/09/2024", or the term as written
    done: str  # "24/03/2024" or ''
    lead: str


@dataclass(frozen=True)
class PlanTasks:
    """The issuer's own plan's tasks against the period (``window``) and the next period (``ahead``), counted at the
    day the plan's figures run to (``as_of``)."""
    citation: PlanCitation | None
    as_of: date | None
    due: Claim  # tasks whose deadline (a date) falls in the window
    due_done: Claim  # of which done
    done_n: Claim  # tasks done in the window (their day done in it), whatever their deadline
    done: tuple[TaskLine, ...]  # at most NAMED tasks done in the window, by the day done
    rule: str  # how ``done`` is chosen, in words ('' when every one is named)
    next_due: Claim  # tasks whose deadline falls in the next period
    next: tuple[TaskLine, ...]  # at most AHEAD of them, by deadline
    next_more: Claim | None  # the ones beyond those named
    overdue: Claim  # dated tasks past their deadline at ``as_of``, neither done nor paused
    late: tuple[TaskLine, ...]  # at most AHEAD of them
    late_more: Claim | None


def citation(plan: PlanOutline, issuer_who: str) -> PlanCitation | None:
    """The plan as the opening cites it; None when it says nothing to cite (no number, date nor title)."""
    if not (plan.number or plan.signed or plan.title):
        return None
    upper = tuple(PlanCitation(u.number, date.fromisoformat(u.signed) if u.signed else None, u.title, u.issuer)
                  for u in plan.upper)
    return PlanCitation(plan.number, plan.signed_day, plan.title.rstrip(". "), plan.issuer or issuer_who, upper)


def _line(t: PlanTask) -> TaskLine:
    due = t.due_day
    return TaskLine(t.text.rstrip(" .;"), fmt.date_short(due) if due else t.due,
                    fmt.date_short(t.done_day) if t.done_day else "", t.lead)


def plan_tasks(plan: PlanOutline, cited: PlanCitation | None, basis: Basis, window: tuple[date, date],
               ahead: tuple[date, date] | None, code: str, name: str) -> PlanTasks:
    """The counts and the named tasks of the issuer's own plan (``code``, ``name``: its unit), each count a claim
    whose sources are the plan's rows."""
    start, end = window
    as_of = date.fromisoformat(plan.as_of) if plan.as_of else None
    where = load_form(PLAN).sheet("Nhiệm vụ").name
    cited_as = f"Kế hoạch số {cited.number}" if cited and cited.number else "kế hoạch của đơn vị"

    def claim(key: str, title: str, tasks: list[PlanTask], rule: str, known: bool = True) -> Claim:
        """``known``: False when the count cannot be made (overdue without the plan's as-of day): no value, so the
        report says nothing of it rather than "không còn"."""
        rows = ", ".join(str(t.row) for t in tasks)
        src = (Source(code, name, plan.file, where, f"dòng {rows}" if rows else "không có dòng nào", len(tasks)),)
        return derived(f"kh.{key}", title, "nhiệm vụ", len(tasks) if known else None, basis, f"{rule} ({cited_as})",
                       src)

    form = load_form(PLAN)
    closed = task_closed(form)  # done or paused: the spec's rule (templates/forms/ke-hoach.yaml, overdue)
    overdue = task_overdue(form, as_of) if as_of else None  # the rule the roll-up counts overdue tasks by
    dated = [t for t in plan.tasks if t.due_day is not None]
    due = [t for t in dated if start <= t.due_day <= end]
    due_done = [t for t in due if t.status == DONE]
    done = sorted((t for t in plan.tasks if t.status == DONE and t.done_day and start <= t.done_day <= end),
                  key=lambda t: (t.done_day, t.row))
    nxt = sorted((t for t in dated if ahead and ahead[0] <= t.due_day <= ahead[1] and not closed(t)),
                 key=lambda t: (t.due_day, t.row))
    late = sorted((t for t in plan.tasks if overdue and overdue(t)), key=lambda t: (t.due_day, t.row))
    ahead_words = f"từ {fmt.date_short(ahead[0])} đến {fmt.date_short(ahead[1])}" if ahead else ""
    return PlanTasks(
        cited, as_of,
        claim("due", "Nhiệm vụ của kế hoạch đến hạn trong kỳ", due,
              f"nhiệm vụ có thời hạn là một ngày từ {fmt.date_short(start)} đến {fmt.date_short(end)}"),
        claim("due_done", "Nhiệm vụ đến hạn trong kỳ đã hoàn thành", due_done,
              "nhiệm vụ đến hạn trong kỳ có trạng thái Đã hoàn thành"),
        claim("done", "Nhiệm vụ của kế hoạch hoàn thành trong kỳ", done,
              "nhiệm vụ có trạng thái Đã hoàn thành, ngày hoàn thành trong kỳ"),
        tuple(_line(t) for t in done[:NAMED]),
        f"dưới đây nêu {_IN_WORDS[NAMED]} nhiệm vụ hoàn thành sớm nhất" if len(done) > NAMED else "",
        claim("next", "Nhiệm vụ của kế hoạch đến hạn trong kỳ tới", nxt,
              f"nhiệm vụ chưa hoàn thành có thời hạn là một ngày {ahead_words}"),
        tuple(_line(t) for t in nxt[:AHEAD]),
        claim("next_more", "Nhiệm vụ đến hạn trong kỳ tới chưa nêu tên", nxt[AHEAD:],
              "nhiệm vụ đến hạn trong kỳ tới ngoài các nhiệm vụ đã nêu") if len(nxt) > AHEAD else None,
        claim("overdue", "Nhiệm vụ của kế hoạch quá hạn", late,
              "nhiệm vụ có thời hạn là một ngày trước ngày số liệu của kế hoạch"
              f"{' (' + fmt.date_short(as_of) + ')' if as_of else ''}, chưa hoàn thành hoặc tạm dừng",
              known=as_of is not None),
        tuple(_line(t) for t in late[:AHEAD]),
        claim("overdue_more", "Nhiệm vụ quá hạn chưa nêu tên", late[AHEAD:],
              "nhiệm vụ quá hạn ngoài các nhiệm vụ đã nêu") if len(late) > AHEAD else None)
