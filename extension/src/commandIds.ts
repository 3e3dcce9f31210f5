// Command identifiers, as contributed in package.json (a unit test keeps the two lists equal).

export const COMMANDS = {
  newFromTemplate: 'kvmlab.newVmFromTemplate',
  showFramebuffer: 'kvmlab.showFramebuffer',
  showBackdoorInspector: 'kvmlab.showBackdoorInspector',
  takeScreenshot: 'kvmlab.takeScreenshot',
  sendTclo: 'kvmlab.sendTcloCommand',
  resetVm: 'kvmlab.resetVm',
  checkHost: 'kvmlab.checkKvmHost',
  copyConsoleScreen: 'kvmlab.copyConsoleScreen',
  showSerialTerminal: 'kvmlab.showSerialTerminal',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];
