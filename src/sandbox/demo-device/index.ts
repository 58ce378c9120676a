// Demo devices for the sandbox: an embedded SSH server with a small, clearly labelled simulated shell.
export {
  startDemoSshDevice,
  type DemoSshDevice,
  type DemoSshDeviceOptions,
  type DemoUser,
} from './demo-ssh-device';
