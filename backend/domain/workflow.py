"""Step-by-step flows as data: the steps in order, the statuses, and one table of
the moves between statuses. `apply()` is the only way a status changes; a move the
table does not list raises, with a message that says what to do instead."""

from __future__ import annotations

from dataclasses import dataclass, field

from backend.domain import labels
from backend.domain.errors import Conflict


@dataclass(frozen=True)
class Workflow:
    name: str
    # flow variant ("self", "other", ...) -> step names, in the order a person meets them
    steps: dict[str, tuple[str, ...]]
    # (from status, action) -> to status
    transitions: dict[tuple[str, str], str]
    step_labels: dict[str, str] = field(default_factory=dict)
    status_labels: dict[str, str] = field(default_factory=dict)
    event_labels: dict[str, str] = field(default_factory=dict)
    # Statuses in which steps may be done or redone: the draft, and (for flows with a
    # review) a status like "returned for correction", where only the steps the
    # reviewer named reopen (`check_step(..., reopened=...)`).
    editable_statuses: tuple[str, ...] = ("draft",)

    @property
    def editable_status(self) -> str:
        return self.editable_statuses[0]

    def statuses(self) -> set[str]:
        return {s for (s, _a) in self.transitions} | set(self.transitions.values())

    def steps_for(self, variant: str) -> tuple[str, ...]:
        return self.steps[variant]

    def next_step(self, variant: str, done: list[str] | set[str]) -> str | None:
        for step in self.steps[variant]:
            if step not in done:
                return step
        return None

    def check_editable(self, status: str) -> None:
        if status not in self.editable_statuses:
            raise Conflict(
                f"当前状态为“{self.status_labels.get(status, status)}”，不能再修改。",
                code=f"{self.name}.not_editable",
            )

    def check_step(self, variant: str, status: str, done: list[str] | set[str], step: str,
                   reopened: set[str] | None = None) -> None:
        """A step may be done, or redone, while the flow is editable and every
        earlier step is done; when `reopened` is given (returned for correction),
        only those steps."""
        self.check_editable(status)
        order = self.steps[variant]
        if step not in order:
            raise Conflict("此业务没有这一步骤。", code=f"{self.name}.unknown_step")
        if reopened is not None and step not in reopened:
            raise Conflict(f"退回补正时只能修改经办人员指出的项目，“{self.step_labels.get(step, step)}”不在其中。",
                           code=f"{self.name}.not_reopened")
        for earlier in order[: order.index(step)]:
            if earlier not in done:
                raise Conflict(
                    f"请先完成“{self.step_labels.get(earlier, earlier)}”，再进行"
                    f"“{self.step_labels.get(step, step)}”。",
                    code=f"{self.name}.step_out_of_order",
                )

    def complete(self, variant: str, done: list[str], step: str, *, keeps_later: bool = False) -> list[str]:
        """Mark a step done. Redoing an earlier step asks for the later ones again
        (a changed answer may make them wrong) unless the step says otherwise."""
        order = self.steps[variant]
        index = order.index(step)
        if keeps_later:
            kept = [s for s in order if s in done or s == step]
        else:
            kept = [s for s in order[:index] if s in done] + [step]
        return kept

    def check_complete(self, variant: str, done: list[str] | set[str]) -> None:
        """Submit needs every step: the first one missing is named."""
        missing = self.next_step(variant, done)
        if missing:
            raise Conflict(f"还有步骤未完成：请先完成“{self.step_labels.get(missing, missing)}”。",
                           code=f"{self.name}.incomplete", errors={"next_step": [missing]})

    def uncomplete(self, variant: str, done: list[str], step: str) -> list[str]:
        return [s for s in self.steps[variant] if s in done and s != step]

    def allows(self, status: str, action: str) -> bool:
        return (status, action) in self.transitions

    def is_editable(self, status: str) -> bool:
        return status in self.editable_statuses

    def apply(self, status: str, action: str) -> str:
        try:
            return self.transitions[(status, action)]
        except KeyError:
            raise Conflict(
                f"当前状态为“{self.status_labels.get(status, status)}”，不能{labels.ACTION.get(action, action)}。",
                code=f"{self.name}.invalid_transition",
            ) from None

