"""Messages built from answers, items and eligibility results: plain text (terminal) or Telegram HTML.

Every dynamic value goes through `_esc`, so a title holding "<" or "&" cannot break Telegram's HTML parser.
"""
from __future__ import annotations

import html as _html
from datetime import datetime

from knowledge import formatting as fmt
from knowledge import taxonomy, texts
from knowledge.eligibility import Assessment
from knowledge.models import Opportunity, Organisation
from knowledge.query import Understood
from knowledge.service import Answer
from knowledge.status import timing


class _Markup:
    def __init__(self, html: bool):
        self.html = html

    def esc(self, value: object) -> str:
        return _html.escape(str(value), quote=False) if self.html else str(value)

    def bold(self, value: object) -> str:
        return f"<b>{self.esc(value)}</b>" if self.html else str(value)

    def italic(self, value: object) -> str:
        return f"<i>{self.esc(value)}</i>" if self.html else str(value)

    def link(self, label: str, url: str) -> str:
        if self.html:
            return f'<a href="{_html.escape(url, quote=True)}">{self.esc(label)}</a>'
        return f"{label} : {url}"


def understood_summary(u: Understood, ignored: list[str] = ()) -> str:
    """"type : appel à projets ; pour : association ; territoire : Normandie"."""
    parts = []
    if u.kinds:
        kinds = sorted(texts.kind_label(k) for k in u.kinds)
        parts.append(texts.UNDERSTOOD_LABELS["kinds"].format(value=" ou ".join(kinds)))
    if u.audience:
        parts.append(texts.UNDERSTOOD_LABELS["audience"].format(value=taxonomy.AUDIENCES[u.audience].label))
    if u.territory:
        parts.append(texts.UNDERSTOOD_LABELS["territory"].format(value=taxonomy.territory_label(u.territory)))
    if u.period:
        parts.append(texts.UNDERSTOOD_LABELS["period"].format(value=u.period.label))
    if u.amount is not None:
        parts.append(texts.UNDERSTOOD_LABELS["amount"].format(value=fmt.amount(u.amount)))
    searched = [t for t in u.terms if t not in ignored]
    if searched:
        parts.append(texts.UNDERSTOOD_LABELS["terms"].format(value=", ".join(searched)))
    return " ; ".join(parts)


def _clip(text: str, limit: int = 100) -> str:
    """A question quoted back: cut at a word, never inside one."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def hit_lines(answer: Answer, position: int, m: _Markup) -> list[str]:
    hit = answer.hits[position]
    o, t = hit.opportunity, hit.timing
    status = f"{texts.STATUS_ICONS[t.status]} {texts.status_label(o, t)}"
    lines = [f"{answer.offset + position + 1}. {m.bold(o.title)}",
             f"   {m.esc(texts.kind_label(o.kind))} · {status} · {m.esc(texts.status_phrase(o, t, answer.now))}"]
    amounts = texts.amount_line(o)
    if amounts:
        lines.append(f"   {m.esc(amounts)}")
    if hit.why:
        lines.append(f"   {m.italic('Pourquoi : ' + ' ; '.join(hit.why))}")
    return lines


def answer_text(answer: Answer, *, html: bool = False, show_ids: bool = False) -> str:
    m = _Markup(html)
    if answer.empty_question:
        return m.esc(texts.EMPTY_QUESTION)
    if not answer.hits:
        lines = [m.esc(texts.NO_MATCH.format(query=_clip(answer.query)))]
        summary = understood_summary(answer.understood, ignored=answer.ignored_terms)
        if summary:
            lines.append(m.esc(texts.NO_MATCH_UNDERSTOOD.format(understood=summary)))
        lines += [m.esc(n) for n in answer.notes]
        lines += ["", m.esc(texts.NO_MATCH_TIPS_TITLE)] + [f"• {m.esc(tip)}" for tip in texts.NO_MATCH_TIPS]
        return "\n".join(lines)
    count = texts.plural(answer.total, "résultat", "résultats")
    lines = [m.bold(texts.ANSWER_HEADER.format(count=count, query=_clip(answer.query)))]
    if answer.understood.corrections:
        fixes = ", ".join(f"{a} → {b}" for a, b in answer.understood.corrections.items())
        lines.append(m.esc(texts.NOTE_CORRECTED.format(fixes=fixes)))
    if answer.closed_only and not answer.any_year:      # "nothing in June ahead" already says it
        lines.append(m.esc(texts.NOTE_CLOSED_ONLY))
    lines += [m.esc(n) for n in answer.notes]
    for i, hit in enumerate(answer.hits):
        lines.append("")
        lines += hit_lines(answer, i, m)
        if show_ids:
            lines.append(f"   (n° {hit.opportunity.id})")
    more = answer.total - answer.offset - len(answer.hits)
    if more > 0:
        lines += ["", m.esc(texts.ANSWER_MORE.format(more=texts.plural(more, "résultat", "résultats")))]
    return "\n".join(lines)


def card_text(o: Opportunity, now: datetime, *, html: bool = False) -> str:
    """The full card of one item: everything a user needs to decide and to apply."""
    m = _Markup(html)
    t = timing(o, now)
    f = texts.CARD_FIELDS

    def row(label: str, value: str) -> str:
        return f"{m.bold(label)} : {value}"

    lines = [m.bold(o.title), ""]
    if o.summary:
        lines += [m.esc(o.summary), ""]
    lines.append(row(f["kind"], m.esc(texts.kind_label(o.kind))))
    lines.append(row(f["status"], f"{texts.STATUS_ICONS[t.status]} {m.esc(texts.status_label(o, t))} · "
                                  f"{m.esc(texts.status_phrase(o, t, now))}"))
    lines.append(row(f["organiser"], m.esc(o.organiser or texts.CARD_ORGANISER_UNSTATED)))
    audiences = ", ".join(taxonomy.AUDIENCES[a].label for a in o.audiences if a in taxonomy.AUDIENCES)
    lines.append(row(f["audiences"], m.esc(audiences or texts.CARD_AUDIENCE_UNSTATED)))
    lines.append(row(f["territories"], m.esc(", ".join(taxonomy.territory_label(c) for c in o.territories)
                                             or texts.CARD_TERRITORY_UNSTATED)))
    if o.themes:
        lines.append(row(f["themes"], m.esc(", ".join(taxonomy.THEMES[c].label for c in o.themes
                                                      if c in taxonomy.THEMES))))
    amounts = texts.amount_line(o)
    if amounts:
        lines.append(row(f["amounts"], m.esc(amounts)))
    dates = []
    if o.opens_at:
        dates.append(texts.CARD_OPENS.format(date=fmt.date_long(o.opens_at)))
    if o.deadline:
        dates.append(texts.CARD_DEADLINE.format(date=texts.deadline_phrase(o.deadline)))
    if o.starts_at:
        dates.append(texts.CARD_EVENT.format(dates=texts.event_dates(o.starts_at, o.ends_at)))
    if o.published_at:
        dates.append(texts.CARD_PUBLISHED.format(date=fmt.date_short(o.published_at)))
    if dates:
        lines.append(row(f["dates"], m.esc(" ; ".join(dates))))
    if o.how_to_apply:
        lines.append(row(f["how"], m.esc(o.how_to_apply)))
    if o.contacts:
        lines.append(m.bold(f["contacts"]) + " :")
        for c in o.contacts:
            bits = [c.get("name"), c.get("role"), c.get("email"), c.get("phone")]
            lines.append("• " + m.esc(" – ".join(b for b in bits if b)))
    links = [(label, url) for label, url in [("Candidater", o.application_url), ("Inscription", o.registration_url)]
             if url] + [(k.get("label") or "Lien", k.get("url")) for k in o.links]
    if links:
        lines.append(m.bold(f["links"]) + " :")
        for label, url in links:
            lines.append("• " + (m.link(label, url) if url else m.esc(texts.CARD_LINK_NO_URL.format(label=label))))
    if o.description:
        lines += ["", m.esc(o.description)]
    if o.source_url or o.source_name:
        source = o.source_name or o.source_url
        lines += ["", row(f["source"], m.link(source, o.source_url) if o.source_url else m.esc(source))]
    return "\n".join(lines)


def profile_summary(org: Organisation) -> str:
    parts = [taxonomy.AUDIENCES[org.org_type].label if org.org_type in taxonomy.AUDIENCES else texts.UNKNOWN_TYPE]
    place = taxonomy.profile_place(org.department, org.region)
    if place:
        parts.append(taxonomy.territory_label(place))
    if org.budget is not None:
        parts.append(texts.ELIG_PROFILE_BUDGET.format(budget=fmt.amount(org.budget)))
    if org.esus:
        parts.append(texts.ELIG_PROFILE_ESUS)
    return ", ".join(parts)


def assessments_text(results: list[Assessment], org: Organisation, now: datetime, *, html: bool = False,
                     compact: bool = False) -> str:
    """Verdicts with their reasons; `compact` (phones) keeps only the blocking reasons of rejected items."""
    m = _Markup(html)
    lines = [m.bold(texts.ELIG_HEADER.format(profile=profile_summary(org), date=fmt.date_short(now)))]
    for a in results:
        lines += ["", f"{texts.VERDICT_LABELS[a.verdict]} — {m.bold(a.opportunity.title)}"]
        shown = [c for c in a.criteria if not compact or a.verdict != "not_eligible" or c.verdict == "not_eligible"]
        lines += [f"   • {m.esc(c.reason)}" for c in shown]
    return "\n".join(lines)


def digest_text(digest, *, html: bool = False) -> str:
    """The weekly message; items are numbered in order, as the "Détails n" buttons are."""
    m = _Markup(html)
    if digest.empty:
        return m.esc(texts.DIGEST_EMPTY)
    lines = [m.bold(texts.DIGEST_TITLE.format(date=fmt.date_long(digest.now)))]
    n = 0
    for name in ("new", "closing", "events"):
        entries = getattr(digest, name)
        if not entries:
            continue
        lines += ["", m.bold(texts.DIGEST_SECTIONS[name])]
        for o, t in entries:
            n += 1
            lines.append(f"{n}. {m.esc(o.title)} — {m.esc(texts.status_phrase(o, t, digest.now))}")
    if digest.more:
        lines += ["", m.esc(texts.DIGEST_MORE.format(n=texts.plural(digest.more, "autre", "autres")))]
    lines += ["", m.italic(texts.DIGEST_FOOTER)]
    return "\n".join(lines)


def reminder_text(o: Opportunity, now: datetime, *, html: bool = False) -> str:
    m = _Markup(html)
    return m.esc(texts.REMINDER.format(title=o.title, status=texts.status_phrase(o, timing(o, now), now)))
