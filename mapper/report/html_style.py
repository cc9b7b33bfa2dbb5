"""The report page's stylesheet (inlined: the page loads nothing from the network)."""

from __future__ import annotations

CSS = """
:root {
  --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --card: #ffffff; --page: #f3f4f6;
  --invitee: #2563eb; --uninvited: #ea580c; --uninvited-dark: #9a3412; --unidentified: #c4b5fd;
  --unidentified-edge: #6d28d9; --nonperson: #9ca3af; --slot: #e0e7ff;
  --resolved: #16a34a; --ambiguous: #f59e0b; --unresolved: #dc2626; --not_a_person: #9ca3af; --pending: #cbd5e1;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--page); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.wrap { max-width: 1180px; margin: 0 auto; padding: 24px 16px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 12px; }
h3 { font-size: 16px; margin: 0; }
.card > h2 { margin-top: 0; }
.muted, .range { color: var(--muted); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px;
  margin: 0 0 16px; box-shadow: 0 1px 2px rgba(0,0,0,.04); }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin: 16px 0; }
.stat { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
.stat .value { font-size: 26px; font-weight: 650; display: block; }
.stat .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.stat.good .value { color: var(--resolved); } .stat.warn .value { color: #b45309; }
.stat.bad .value { color: var(--unresolved); }
.coverage-bar { width: 100%; height: 22px; display: block; margin: 6px 0; }
.cov-resolved { fill: var(--resolved); } .cov-ambiguous { fill: var(--ambiguous); }
.cov-unresolved { fill: var(--unresolved); } .cov-not_a_person { fill: var(--not_a_person); }
.cov-pending { fill: var(--pending); }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 6px 0 0; padding: 0; list-style: none;
  color: var(--muted); font-size: 12px; }
.legend li { display: inline-flex; align-items: center; gap: 6px; }
.legend svg { width: 22px; height: 12px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
caption { text-align: left; color: var(--muted); padding: 0 0 6px; }
th, td { text-align: left; padding: 5px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; background: #f9fafb; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody th { background: transparent; white-space: normal; min-width: 12em; overflow-wrap: anywhere; }
th .email { display: block; font-weight: 400; color: var(--muted); font-size: 12px; }
td.notes { overflow-wrap: anywhere; min-width: 12em; color: #374151; }
td.nowrap { white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.row-no_show th[scope=row], tr.row-unresolved th[scope=row] { color: #991b1b; }
tr.section th { background: transparent; color: var(--muted); font-size: 12px; text-transform: uppercase;
  letter-spacing: .04em; padding-top: 12px; }
.q { display: inline-block; width: 16px; height: 16px; border-radius: 50%; background: var(--unidentified-edge);
  color: #fff; font-size: 11px; font-weight: 700; text-align: center; line-height: 16px; }
.cat { display: inline-block; border-radius: 999px; padding: 1px 8px; font-size: 12px; white-space: nowrap;
  background: #eef2ff; color: #3730a3; }
.cat-no_show, .cat-unresolved { background: #fee2e2; color: #991b1b; }
.cat-declined, .cat-not_observed, .cat-pending, .cat-non_person { background: #f3f4f6; color: #4b5563; }
.cat-declined_attended, .cat-ambiguous { background: #fef3c7; color: #92400e; }
.cat-uninvited { background: #ffedd5; color: #9a3412; }
.cat-attended, .cat-optional_attended { background: #dcfce7; color: #166534; }
.meeting header { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 4px 16px; margin-bottom: 8px; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; }
.chips { align-items: flex-start; }
.chip { border: 1px solid var(--line); border-radius: 999px; padding: 1px 8px; font-size: 12px; color: var(--muted);
  white-space: nowrap; }
.alert { border-left: 4px solid var(--ambiguous); background: #fffbeb; padding: 8px 12px; margin: 8px 0; }
.note { color: var(--muted); font-style: italic; }
figure { margin: 8px 0 12px; overflow-x: auto; }
svg.timeline { display: block; min-width: 640px; height: auto; font-size: 12px; }
svg.timeline text { fill: var(--ink); }
.slot, .sw-slot { fill: var(--slot); }
.tick line { stroke: #cbd5e1; stroke-width: 1; stroke-dasharray: 2 3; }
.tick text { fill: var(--muted); font-size: 11px; }
.tl-absent { fill: var(--muted); font-style: italic; }
.tl-row.row-no_show .tl-absent { fill: var(--unresolved); }
.bar { stroke-width: 1.5; }
.bar-invitee, .sw-invitee { fill: var(--invitee); stroke: #1e40af; }
.bar-uninvited, .sw-uninvited { stroke: var(--uninvited-dark); }
.stripe-bg { fill: var(--uninvited); } .stripe-fg { fill: var(--uninvited-dark); }
.bar-unidentified, .sw-unidentified { fill: var(--unidentified); stroke: var(--unidentified-edge);
  stroke-dasharray: 4 2; }
.bar-nonperson, .sw-nonperson { fill: var(--nonperson); stroke: #6b7280; }
.badge-unresolved circle { fill: var(--unidentified-edge); }
svg.timeline .badge-unresolved text { fill: #fff; font-weight: 700; font-size: 12px; }
footer { color: var(--muted); font-size: 12px; margin-top: 32px; }
@media (max-width: 640px) { .wrap { padding: 12px 8px; } h1 { font-size: 21px; } th, td { padding: 4px 5px; } }
@media print {
  svg.timeline { min-width: 0; }
  body { background: #fff; font-size: 11px; }
  .wrap { max-width: none; padding: 0; }
  .card, .stat { box-shadow: none; border-color: #bbb; }
  .meeting, table, figure { break-inside: avoid; }
  .scroll { overflow: visible; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  @page { margin: 12mm; }
}
"""

__all__ = ["CSS"]
