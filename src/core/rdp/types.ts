// The RDP launcher's own shapes: which clients exist on each OS, what a launch asks for, and the plan that says
// exactly what will be spawned. Pure data; nothing here touches the system.

export type RdpOs = 'win32' | 'darwin' | 'linux';

interface ClientBase {
  /** Stable id saved as the technician's preference, e.g. "xfreerdp", "mstsc", "custom". */
  id: string;
  /** What the technician reads, e.g. "xfreerdp 2.11.7". */
  name: string;
  /** Absolute path of the executable that is spawned (for Windows App and rdp:// that is `open`). */
  path: string;
  version: string | null;
}

export type RdpClient =
  /** mstsc.exe: `/v:host:port` by default (no .rdp security dialog), or through a generated .rdp file. */
  | (ClientBase & { kind: 'mstsc'; viaRdpFile: boolean })
  /** macOS Windows App / Microsoft Remote Desktop, opened by bundle id with a generated .rdp file. */
  | (ClientBase & { kind: 'windows-app'; bundleId: string })
  /** macOS fallback: `open rdp://full%20address=s:host:port&…` (legacy URI scheme). */
  | (ClientBase & { kind: 'rdp-url' })
  /** FreeRDP (xfreerdp3, sdl-freerdp3, xfreerdp, wlfreerdp) or its Flatpak; major decides the flag dialect. */
  | (ClientBase & {
      kind: 'freerdp';
      major: number | null;
      /** Run through `flatpak run --command=<command> <app>`; path is then the flatpak binary. */
      flatpak?: { app: string; command: string };
      /** Whether the client can ask for a password in a window (SDL client); xfreerdp only reads stdin. */
      promptsForPassword: boolean;
    })
  /** Remmina with a generated .rdp file (it prompts for the password). */
  | (ClientBase & { kind: 'remmina'; flatpak?: { app: string } })
  /** Anything else: an absolute path and an argument template ({host} {port} {address} {username} {rdpFile}). */
  | (ClientBase & { kind: 'custom'; args: string[] });

export type RdpClientKind = RdpClient['kind'];

export interface LaunchTarget {
  host: string;
  port: number;
}

export type CertificatePolicy = 'tofu' | 'deny' | 'ignore' | { fingerprint: string };

export interface LaunchOptions {
  username?: string | null;
  domain?: string | null;
  /** 'window' (default) or 'fullscreen'; a size applies to a window. */
  screen?: 'window' | 'fullscreen';
  size?: { width: number; height: number } | null;
  multimon?: boolean;
  /** Admin (console) session. */
  admin?: boolean;
  /** Clipboard redirection, default on. */
  clipboard?: boolean;
  /** Redirect all local drives. Default OFF: Microsoft calls drive redirection one of the most dangerous. */
  drives?: boolean;
  /** FreeRDP certificate trust: default 'tofu' (pinned per host+port); 'ignore' only when chosen explicitly. */
  certificate?: CertificatePolicy;
  /** A password for FreeRDP's stdin (`/from-stdin:force`); never placed in argv or a file. */
  password?: string | null;
  /** Tests only: FreeRDP authenticates (NLA) and exits 0 without opening a session (`+auth-only`). */
  authOnly?: boolean;
}

export interface LaunchPlan {
  /** Absolute path of the executable; spawned with `shell: false`. */
  command: string;
  args: string[];
  /** The .rdp file to write before spawning (path inside a private temp dir) and its text, or null. */
  rdpFile: { path: string; text: string } | null;
  /** What is written to the client's stdin (a password line), or null. */
  stdin: string | null;
}
