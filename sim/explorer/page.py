"""The explorer page (Solara): set a scenario and up to six levers, run an ensemble, read the
consequences against a baseline, and take the figures and tables away.

The page holds no model logic: the choices and their checks are in `choices`, the runs, numbers
and figures in `results`, the process pool in `workers`. Reactive variables at module level are
per browser session in Solara, so two analysts on one server do not share their settings.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any, Callable

import solara
from solara.lab import task

from sim.analysis.baselines import STATUS_QUO, baseline_for
from sim.analysis.ensembles import EnsembleResult
from sim.explorer import results, workers
from sim.explorer.choices import (
    MAX_LEVERS,
    MAX_SEEDS,
    MAX_YEARS,
    Choice,
    entered,
    levers,
    scenario_values,
)
from sim.runs import plausible
from sim.runs.config import available_scenarios

NONE = "(none)"


@dataclass
class Shown:
    """What the page shows of the last run: its choice, runs, key numbers and drawn figures."""

    choice: Choice
    result: EnsembleResult
    table: Any
    cancelled: bool = False
    figures: list[tuple[str, str, bytes, Any]] = field(default_factory=list)  # (name, title, png, Figure)
    planned: int = 0  # figures to draw


scenario = solara.reactive(Choice().scenario)
baseline = solara.reactive(Choice().baseline)
slots = solara.reactive([NONE] * MAX_LEVERS)  # the lever chosen in each row
values = solara.reactive({})  # lever name -> value, kept when a row is cleared and chosen again
seeds = solara.reactive(Choice().seeds)
world_count = solara.reactive(Choice().worlds)
years = solara.reactive(Choice().years)
progress = solara.reactive((0, 0, 0))  # runs done, runs in all, failed
shown: solara.Reactive[Shown | None] = solara.reactive(None)
stop: solara.Reactive[threading.Event | None] = solara.reactive(None)  # set to cancel the page's runs


def current() -> Choice:
    """The choice the controls describe now."""
    chosen = {name: values.value[name] for name in slots.value if name != NONE}
    return Choice(scenario.value, baseline.value, chosen, seeds.value, world_count.value, years.value)


@task
def warm_up() -> bool:
    """Start the worker pool and wait until it is warm, so that the page can say so."""
    workers.pool()
    while not workers.ready():
        time.sleep(0.2)
    return True


def cancel() -> None:
    """Cancel the page's runs, if it started any."""
    if stop.value is not None:
        stop.value.set()


# Closing or reloading a page closes its kernel: cancel its runs then, or they go on hidden on the
# shared pool and the next page's runs wait behind them.
solara.lab.on_kernel_start(lambda: cancel)


def start() -> None:
    """Run what the fields hold now, if it has no problem: a click can reach the server before the
    page has turned Run off for a value typed just before it."""
    choice = current()
    if not choice.problems():
        run(choice)


@task
def run(choice: Choice) -> None:
    """Run both arms on the warm pool, then draw the figures one by one so the first shows at once."""
    event = threading.Event()
    stop.set(event)
    shown.set(None)
    progress.set((0, choice.runs, 0))
    result = results.run(
        choice, workers.pool(), progress=lambda *p: progress.set(p), cancel=event.is_set, pasts=workers.pasts()
    )
    workers.prune()
    now = Shown(
        choice, result, results.key_numbers(result.runs, choice.arm, choice.baseline, choice.years), event.is_set()
    )
    shown.set(now)
    if now.cancelled:
        return
    plan = results.figure_plan(result, choice)
    for name, (title, draw) in plan.items():
        if event.is_set():
            return
        fig = draw()
        now = replace(now, figures=[*now.figures, (name, title, results.image(fig, "png"), fig)], planned=len(plan))
        shown.set(now)


@solara.component
def Problem(text: str | None) -> None:
    """A message beside the field it concerns."""
    if text:
        solara.Text(text, style={"color": "#b00020", "font-size": "0.85em"}, classes=["field-problem"])


@solara.component
def NumberField(label: str, value: Any, on_value: Callable[[Any], None], whole: bool = False) -> None:
    """A text box for a number, passed on as `entered` reads it: the number, or the text for the
    choice's checks to refuse beside the field. Solara's InputFloat would pass NaN on (an endless
    re-render) and keep unparsable text to itself, leaving Run on with the previous value."""
    solara.InputText(
        label, value=str(value), on_value=lambda text: on_value(entered(text, whole)), continuous_update=False
    )


@solara.component
def LeverRow(i: int, problem: str | None) -> None:
    chosen = slots.value
    taken = {name for j, name in enumerate(chosen) if j != i and name != NONE}

    def pick(name: str) -> None:
        slots.set([name if j == i else other for j, other in enumerate(slots.value)])
        if name != NONE and name not in values.value:
            values.set({**values.value, name: scenario_values(scenario.value)[name]})

    solara.Select(
        f"lever {i + 1}", value=chosen[i], values=[NONE, *(n for n in levers() if n not in taken)], on_value=pick
    )
    name = chosen[i]
    if name == NONE:
        return
    lever, value = levers()[name], values.value[name]

    def set_value(new: Any) -> None:
        values.set({**values.value, name: round(new, 10) if isinstance(new, float) else new})

    if lever.widget == "checkbox":
        solara.Checkbox(label=lever.label(), value=value, on_value=set_value)
    elif lever.widget == "select":
        solara.Select(lever.label(), value=value, values=lever.options, on_value=set_value)
    else:
        NumberField(f"{lever.label()}, {lever.low:g} to {lever.high:g}", value, set_value, lever.widget == "int")
        slider = solara.SliderInt if lever.widget == "int" else solara.SliderFloat
        if not problem:  # a number in its range
            slider("", value=value, min=lever.low, max=lever.high, step=lever.step, on_value=set_value)
    solara.Text(lever.description, style={"font-size": "0.8em", "color": "#555"})
    Problem(problem)


@solara.component
def Controls() -> None:
    choice = current()
    problems = choice.problems()
    names = available_scenarios()

    def choose_scenario(name: str) -> None:
        scenario.set(name)
        baseline.set(baseline_for(name) or STATUS_QUO)  # no strike, the counterfactual: against the status quo

    solara.Select("scenario", value=scenario.value, values=names, on_value=choose_scenario)
    Problem(problems.get("scenario"))
    solara.Select("compare with", value=baseline, values=names)
    Problem(problems.get("baseline"))
    for i in range(MAX_LEVERS):
        if i == 0 or slots.value[i - 1] != NONE or slots.value[i] != NONE:
            LeverRow(i, problems.get(slots.value[i]))
    for key, variable, label in (
        ("seeds", seeds, f"seeds (test seeds 1 to N, at most {MAX_SEEDS})"),
        ("worlds", world_count, f"plausible worlds (0: the long fit; at most {plausible.count(Choice().world_of)})"),
        ("years", years, f"years from the origin, 1 Jun 2026 (1 to {MAX_YEARS})"),
    ):
        NumberField(label, variable.value, variable.set, whole=True)
        Problem(problems.get(key))
    Problem(problems.get("runs"))
    if not {"seeds", "worlds"} & problems.keys():
        solara.Text(f"{choice.runs:,} runs: {choice.seeds} seeds × {max(1, choice.worlds)} world(s) × 2 arms")
    with solara.Row():
        solara.Button("Run", color="primary", on_click=start, disabled=bool(problems) or run.pending)
        solara.Button("Cancel", on_click=cancel, disabled=not run.pending)
    solara.Text(
        "workers ready" if warm_up.finished else "starting the workers…",
        classes=["workers-state"],
        style={"font-size": "0.8em", "color": "#555"},
    )
    if run.pending:
        Progress()


@solara.component
def Progress() -> None:
    """The progress bar, a component of its own: each finished run re-renders it alone, not the
    fields above it, so that what the analyst is typing there is not reset."""
    done, total, failed = progress.value
    solara.ProgressLinear(value=100 * done / max(total, 1))
    solara.Text(f"{done} of {total} runs done ({failed} failed)", classes=["run-progress"])


@solara.component
def Results() -> None:
    if run.error:
        solara.Error(
            "The run stopped: "
            f"{str(run.exception).splitlines()[0] if str(run.exception) else type(run.exception).__name__}"
        )
    now = shown.value
    if now is None:
        if not run.pending:
            solara.Markdown(
                "Choose a scenario, the baseline to compare it with, and up to six levers, then press **Run**. "
                "Both arms run on the same seeds (and plausible worlds), so their differences are paired. Both "
                "share one past: the world of 2014 through the record to May 2026 (docs/worlds.md)."
            )
        return
    choice, runs = now.choice, now.result.runs
    if now.cancelled:
        solara.Warning(
            f"Cancelled: {int((runs['status'] == 'ok').sum())} of {len(runs)} runs had finished. Nothing is shown."
        )
        return
    for bad in results.failures(runs):
        solara.Error(f"{bad['run']} {bad['status']}: {bad['error']}", classes=["run-failure"])
    solara.Markdown(f"### {choice.arm} against {choice.baseline}\n\n{results.describe(choice)}")
    drawn = f"{len(now.figures)} of {now.planned} figures drawn" if now.planned else "drawing the figures"
    solara.Text(drawn, classes=["figures-drawn"])
    solara.Style(".key-numbers th, .key-numbers td { text-align: left; padding: 3px 12px 3px 0; vertical-align: top; }")
    solara.HTML(tag="div", unsafe_innerHTML=now.table.to_html(index=False, classes="key-numbers", border=0))
    with solara.Row():
        solara.FileDownload(lambda: results.table_bytes(runs), "runs.csv", label="runs.csv", mime_type="text/csv")
        solara.FileDownload(
            lambda: results.table_bytes(now.result.daily), "daily.csv", label="daily.csv", mime_type="text/csv"
        )
    for name, title, png, fig in now.figures:
        with solara.Card(title, classes=["figure-card"]):
            solara.Image(png, width="100%", classes=[f"figure-{name}"])
            with solara.Row():
                solara.FileDownload(png, f"{name}.png", label=f"{name}.png", mime_type="image/png")
                solara.FileDownload(
                    lambda fig=fig: results.image(fig, "pdf"),
                    f"{name}.pdf",
                    label=f"{name}.pdf",
                    mime_type="application/pdf",
                )


@solara.component
def Explorer() -> None:
    """The whole page: the controls in the sidebar, the results beside them."""
    solara.Title("Cartel fragmentation: explorer")
    solara.use_effect(
        lambda: None if not warm_up.not_called else warm_up(), []
    )  # warm the workers while the analyst sets the levers
    with solara.Sidebar():
        Controls()
    Results()
