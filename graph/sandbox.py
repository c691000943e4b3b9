"""Confine a query worker before it takes its first query.

* ``die_with_parent``: the kernel kills the worker when the process that
  started it goes (``PR_SET_PDEATHSIG``), so a ``kill -9`` of the server
  leaves no worker running a query.
* ``deny_network``: a seccomp filter (libseccomp through ``pyseccomp``) makes
  ``socket()`` fail for every address family but ``AF_UNIX`` and refuses
  ``io_uring``, so nothing the engine runs (a ``SERVICE`` call the parser
  missed, say) can open a connection.
* ``limit_memory``: an address-space limit (``RLIMIT_AS``) above what the
  worker holds once its store is open, so a query that builds huge values
  ends its own worker only.

Each returns what it achieved, so that start-up and ``/health`` can say where
the kernel or the machine lacks a mechanism.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import socket

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> str:
    """Ask the kernel to kill this process when its parent ends; exit at once if it already has."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            return f"unavailable: prctl failed with errno {ctypes.get_errno()}"
    except (OSError, AttributeError) as error:
        return f"unavailable: {error}"
    if os.getppid() != parent_pid:  # the parent went before the request took effect
        os._exit(0)
    return "pdeathsig"


def deny_network() -> str:
    """Load a seccomp filter that refuses every socket but AF_UNIX; return ``seccomp`` or why not."""
    try:
        import pyseccomp as seccomp
    except ImportError:
        return "unavailable: the pyseccomp package is not installed"
    try:
        rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        rules.add_rule(seccomp.ERRNO(1), "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
        rules.add_rule(seccomp.ERRNO(1), "io_uring_setup")
        rules.load()
    except (OSError, RuntimeError, ValueError, AttributeError) as error:
        # libseccomp missing (OSError from ctypes) or a kernel without seccomp
        return f"unavailable: {error}"
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    except OSError:
        return "seccomp"
    return "unavailable: the seccomp filter did not take effect"


def address_space() -> int:
    """Bytes of virtual memory this process maps now."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def resident() -> int:
    """Bytes of this process's memory that are resident now."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def limit_memory(headroom: int) -> str:
    """Cap the address space at what is mapped now plus ``headroom`` bytes; return the cap or why not."""
    try:
        cap = address_space() + headroom
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (OSError, ValueError) as error:
        return f"unavailable: {error}"
    return f"rlimit_as={cap}"


__all__ = ["address_space", "deny_network", "die_with_parent", "limit_memory", "resident"]
