// The overview's status at a glance: the health of each component, the tasks at work and
// the mail queue. Each part shows only where the schema as served has its type, so a
// server without them (a real Stalwart) gets an overview without these parts.

import { ActiveTasks } from './ActiveTasks';
import { HealthChecks } from './HealthChecks';
import { QueueSize } from './QueueSize';
import './health.css';

export default function Overview() {
  return (
    <div className="overview">
      <HealthChecks />
      <div className="overview-side">
        <ActiveTasks />
        <QueueSize />
      </div>
    </div>
  );
}
