"""The lease on a `directory_syncs` row (one CoP's sync, or the account check), on the one lease
policy of background work (`copbot.work.policy.RetryPolicy`: 30 s, renewed every 10 s by
`copbot.work.lease.held` while the run goes on). A live run keeps its CoP however long Graph
takes; a run whose instance died is taken over by the next run after 30 s."""

from __future__ import annotations

from sqlalchemy import update

from copbot.membership.records import MembershipRecords
from copbot.store.results import rows_changed
from copbot.store.sync_models import DirectorySync
from copbot.work.lease import TrackedLease
from copbot.work.policy import RetryPolicy


class SyncLease(TrackedLease):
    """`copbot.work.lease.Renewable` for the row `cop_id` claimed by `instance`."""

    def __init__(
        self, records: MembershipRecords, cop_id: str, instance: str, policy: RetryPolicy
    ) -> None:
        super().__init__(records.clock, policy.heartbeat_seconds)
        self.records = records
        self.cop_id = cop_id
        self.instance = instance
        self.policy = policy

    @property
    def what(self) -> str:
        return f"directory_sync:{self.cop_id}"

    async def _extend(self) -> bool:
        async with self.records.db.session() as session:
            result = await session.execute(
                update(DirectorySync)
                .where(
                    DirectorySync.cop_id == self.cop_id,
                    DirectorySync.lease_owner == self.instance,
                )
                .values(lease_until=self.policy.lease_end(self.records.now()))
                .execution_options(synchronize_session=False)
            )
        return rows_changed(result) == 1
