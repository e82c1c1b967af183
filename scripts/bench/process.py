"""What every peer script reports of its own process."""


def peak_rss_mb():
    """Peak resident memory (Linux VmHWM), in MiB. Not ru_maxrss: Linux carries that
    across exec, so a child would report its parent's peak (the bench's) if higher."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")
