// Worker requests about the display: the current screen as a framebuffer (served paused or between guest exits).
import type { Machine } from '../machine/machine';
import { registerRequestHandlers } from '../vcpu/vmRequests';

registerRequestHandlers({
  screenshot: (m: Machine) => m.display?.screenshot(),
});
