/**
 * The Python that runs before the untrusted program, inside the child process. It sets hard
 * resource limits (the program cannot raise a hard limit again), then installs a PEP 578 audit
 * hook, which Python offers no way to remove, and only then compiles and runs `program.py`.
 *
 * The hook is defence in depth, not the boundary: it stops the ordinary ways out (spawning
 * processes, native code through ctypes, sockets, signals to other processes, writes outside
 * the working directory) so that a model's careless or hostile code fails loudly. What it cannot
 * stop is documented in python-runner.ts.
 */

export interface PreambleLimits {
  addressSpaceBytes: number;
  cpuSeconds: number;
  fileSizeBytes: number;
  openFiles: number;
}

/** The marker a blocked operation's PermissionError carries, so the host can report it. */
export const BLOCKED_MARKER = "sandbox: blocked";

export function pythonPreamble(limits: PreambleLimits): string {
  return `import os, resource, sys

def _limit(name, value):
    res = getattr(resource, name, None)
    if res is None:
        return
    try:
        resource.setrlimit(res, (value, value))
    except (ValueError, OSError):
        pass

_limit("RLIMIT_AS", ${limits.addressSpaceBytes})
_limit("RLIMIT_CPU", ${limits.cpuSeconds})
_limit("RLIMIT_FSIZE", ${limits.fileSizeBytes})
_limit("RLIMIT_NOFILE", ${limits.openFiles})
_limit("RLIMIT_CORE", 0)
_limit("RLIMIT_NPROC", 0)

_ROOT = os.path.realpath(os.getcwd())
_BLOCKED_EVENTS = frozenset({
    "os.fork", "os.forkpty", "os.exec", "os.posix_spawn", "os.spawn", "os.system",
    "subprocess.Popen", "pty.spawn", "os.kill", "os.killpg", "signal.pthread_kill",
    "ctypes.dlopen", "ctypes.dlsym", "ctypes.addressof", "ctypes.cdata", "ctypes.string_at",
    "socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
    "os.chdir", "os.chroot", "os.setuid", "os.setgid", "sys.setprofile", "sys.settrace",
})
_BLOCKED_IMPORTS = frozenset({
    "ctypes", "_ctypes", "_posixsubprocess", "subprocess", "multiprocessing", "_multiprocessing",
    "pty", "socket", "_socket", "ssl", "_ssl", "mmap", "_xxsubinterpreters",
})
_PATH_EVENTS = frozenset({
    "os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.link",
    "os.symlink", "os.truncate", "os.utime", "shutil.rmtree", "shutil.copyfile", "shutil.move",
})
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_realpath, _join, _isinstance, _str, _bytes, _fsdecode = os.path.realpath, os.path.join, isinstance, str, bytes, os.fsdecode

def _inside(path):
    if _isinstance(path, _bytes):
        path = _fsdecode(path)
    if not _isinstance(path, _str):
        return True
    full = _realpath(_join(_ROOT, path))
    return full == _ROOT or full.startswith(_ROOT + "/")

def _hook(event, args):
    if event in _BLOCKED_EVENTS:
        raise PermissionError("${BLOCKED_MARKER} " + event)
    if event == "import" and args and _isinstance(args[0], _str) and args[0].split(".")[0] in _BLOCKED_IMPORTS:
        raise PermissionError("${BLOCKED_MARKER} import " + args[0])
    if event == "open" and len(args) >= 3:
        path, mode, flags = args[0], args[1], args[2]
        writing = (_isinstance(mode, _str) and any(c in mode for c in "wax+")) or (_isinstance(flags, int) and flags & _WRITE_FLAGS)
        if writing and not _inside(path):
            raise PermissionError("${BLOCKED_MARKER} write outside the sandbox: " + _str(path))
    if event in _PATH_EVENTS:
        for arg in args[:2]:
            if _isinstance(arg, (_str, _bytes)) and not _inside(arg):
                raise PermissionError("${BLOCKED_MARKER} " + event + " outside the sandbox: " + _str(arg))

with open("program.py", "rb") as _file:
    _source = _file.read()
_code = compile(_source, "program.py", "exec")
del _file, _source, _limit, resource
sys.addaudithook(_hook)
exec(_code, {"__name__": "__main__", "__builtins__": __builtins__})
`;
}
