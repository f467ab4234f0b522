"""Step-by-step flows as data: the steps in order, the statuses, and one table of
the moves between statuses. `apply()` is the only way a status changes; a move the
table does not list raises, with a message that says what to do instead."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    editable_status: str = "draft"

    def steps_for(self, variant: str) -> tuple[str, ...]:
        return self.steps[variant]

    def next_step(self, variant: str, done: list[str] | set[str]) -> str | None:
        for step in self.steps[variant]:
            if step not in done:
                return step
        return None

    def check_step(self, variant: str, status: str, done: list[str] | set[str], step: str) -> None:
        """A step may be done, or redone, while the flow is editable and every
        earlier step is done."""
        if status != self.editable_status:
            raise Conflict(
                f"当前状态为“{self.status_labels.get(status, status)}”，不能再修改。",
                code=f"{self.name}.not_editable",
            )
        order = self.steps[variant]
        if step not in order:
            raise Conflict("此业务没有这一步骤。", code=f"{self.name}.unknown_step")
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

    def uncomplete(self, variant: str, done: list[str], step: str) -> list[str]:
        return [s for s in self.steps[variant] if s in done and s != step]

    def apply(self, status: str, action: str) -> str:
        try:
            return self.transitions[(status, action)]
        except KeyError:
            raise Conflict(
                f"当前状态为“{self.status_labels.get(status, status)}”，不能{ACTION_LABELS.get(action, action)}。",
                code=f"{self.name}.invalid_transition",
            ) from None


ACTION_LABELS = {
    "submit": "提交",
    "cancel": "取消",
    "discard": "删除",
    "expire": "置为过期",
    "accept": "同意签约",
    "reject": "拒绝签约",
    "renew": "续约",
}
