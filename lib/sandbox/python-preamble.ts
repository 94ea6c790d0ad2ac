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

/** Hard rlimits first: the program cannot raise a hard limit again. */
function limitsSource(limits: PreambleLimits): string {
  return `import os, resource, sys, types

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

`;
}

const HOOK_SOURCE = `# Everything the hook reads lives in this function's closure, never in module globals: the
# program can reach this module (sys.modules) but not the hook's cells, because the ways to
# an object's frame or to every object (tracebacks' tb_frame, sys._getframe, gc) are blocked.
def _install(root, blocked_marker):
    blocked_events = frozenset({
        "os.fork", "os.forkpty", "os.exec", "os.posix_spawn", "os.spawn", "os.system",
        "subprocess.Popen", "pty.spawn", "os.kill", "os.killpg", "signal.pthread_kill",
        "ctypes.dlopen", "ctypes.dlsym", "ctypes.addressof", "ctypes.cdata", "ctypes.string_at",
        "socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
        "os.chdir", "os.chroot", "os.setuid", "os.setgid", "sys.setprofile", "sys.settrace",
        "sys._getframe", "sys._current_frames", "sys.addaudithook",
        "gc.get_objects", "gc.get_referrers", "gc.get_referents",
    })
    blocked_imports = frozenset({
        "ctypes", "_ctypes", "_posixsubprocess", "subprocess", "multiprocessing", "_multiprocessing",
        "pty", "socket", "_socket", "ssl", "_ssl", "mmap", "_xxsubinterpreters",
    })
    path_events = frozenset({
        "os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.link",
        "os.symlink", "os.truncate", "os.utime", "shutil.rmtree", "shutil.copyfile", "shutil.move",
    })
    # Attributes that lead from an object to a running frame (and from there to any local).
    frame_attributes = frozenset({"tb_frame", "gi_frame", "cr_frame", "ag_frame", "f_back"})
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
    realpath, join, isinstance_, str_, bytes_, int_, fsdecode = os.path.realpath, os.path.join, isinstance, str, bytes, int, os.fsdecode
    any_, len_ = any, len

    def inside(path):
        if isinstance_(path, bytes_):
            path = fsdecode(path)
        if not isinstance_(path, str_):
            return True
        full = realpath(join(root, path))
        return full == root or full.startswith(root + "/")

    def hook(event, args):
        if event in blocked_events:
            raise PermissionError(blocked_marker + " " + event)
        if event == "object.__getattr__" and len_(args) >= 2 and args[1] in frame_attributes:
            raise PermissionError(blocked_marker + " access to " + str_(args[1]))
        if event == "import" and args and isinstance_(args[0], str_) and args[0].split(".")[0] in blocked_imports:
            raise PermissionError(blocked_marker + " import " + args[0])
        if event == "open" and len_(args) >= 3:
            path, mode, flags = args[0], args[1], args[2]
            writing = (isinstance_(mode, str_) and any_(c in mode for c in "wax+")) or (isinstance_(flags, int_) and flags & write_flags)
            if writing and not inside(path):
                raise PermissionError(blocked_marker + " write outside the sandbox: " + str_(path))
        if event in path_events:
            for arg in args[:2]:
                if isinstance_(arg, (str_, bytes_)) and not inside(arg):
                    raise PermissionError(blocked_marker + " " + event + " outside the sandbox: " + str_(arg))

    with open("program.py", "rb") as file:
        code = compile(file.read(), "program.py", "exec")
    sys.addaudithook(hook)
    return code

`;

const RUN_SOURCE = `_code = _install(os.path.realpath(os.getcwd()), "${BLOCKED_MARKER}")
del _install, _limit, resource
# The program runs as __main__ in a module of its own, not in this one.
_main = types.ModuleType("__main__")
_main.__builtins__ = __builtins__
sys.modules["__main__"] = _main
exec(_code, _main.__dict__)
`;

export function pythonPreamble(limits: PreambleLimits): string {
  return limitsSource(limits) + HOOK_SOURCE + RUN_SOURCE;
}
