// Preloaded (`node --import`) into every process the stack runner starts. When the runner dies
// without stopping its children (killed, crashed), the child notices that its parent changed and
// shuts itself down, so no server is left holding a port. Plain JavaScript: the Playground child
// runs without tsx.
import process from 'node:process';
import { clearInterval, setInterval, setTimeout } from 'node:timers';

const expected = Number(process.env.STACK_PARENT_PID);

if (expected > 0) {
  const timer = setInterval(() => {
    if (process.ppid === expected) return;
    clearInterval(timer);
    // A graceful stop first (the bot and the lists service handle SIGTERM), then a hard one.
    setTimeout(() => process.exit(1), 5000).unref();
    process.kill(process.pid, 'SIGTERM');
  }, 1000);
  timer.unref();
}
