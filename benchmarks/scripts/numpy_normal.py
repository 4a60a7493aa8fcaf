"""numpy side of docs/time-to-solution.md: the normal equations at m x n (default 10^6 x 32), one thread.

Run with OPENBLAS_NUM_THREADS=1 (the script sets it before importing numpy). Prints the median and best of
`repeats` runs (and the median process CPU time) of: X.T @ X on [X 1] + Cholesky solve; the same on a centred copy; numpy.linalg.lstsq (SVD).
"""
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np  # noqa: E402

m = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
n = int(sys.argv[2]) if len(sys.argv) > 2 else 32
repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 5
rng = np.random.default_rng(11)
X = rng.standard_normal((m, n)) + 5.0 + np.arange(n)
y = X @ (np.arange(n) * 0.1) + 1.5 + 0.1 * rng.standard_normal(m)


def normal_ones():
    A = np.empty((m, n + 1))
    A[:, :n] = X
    A[:, n] = 1.0
    G = A.T @ A
    c = A.T @ y
    L = np.linalg.cholesky(G)
    return np.linalg.solve(L.T, np.linalg.solve(L, c))


def normal_sums():
    # X.T @ X + column sums (no [X 1] copy), the bordered system solved by Cholesky
    G = np.empty((n + 1, n + 1))
    G[:n, :n] = X.T @ X
    s = X.sum(axis=0)
    G[:n, n] = s
    G[n, :n] = s
    G[n, n] = m
    c = np.empty(n + 1)
    c[:n] = X.T @ y
    c[n] = y.sum()
    L = np.linalg.cholesky(G)
    return np.linalg.solve(L.T, np.linalg.solve(L, c))


def normal_centred():
    mu = X.mean(axis=0)
    Xc = X - mu
    yc = y - y.mean()
    L = np.linalg.cholesky(Xc.T @ Xc)
    return np.linalg.solve(L.T, np.linalg.solve(L, Xc.T @ yc))


def lstsq():
    A = np.empty((m, n + 1))
    A[:, :n] = X
    A[:, n] = 1.0
    return np.linalg.lstsq(A, y, rcond=None)[0]


print(f"numpy {np.__version__}, m = {m}, n = {n}, OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
print("| fit | seconds (median) | seconds (best) | CPU seconds (median) |")
print("|---|---:|---:|---:|")
for name, f in [("normal [X 1] (X.T@X on a copy with ones)", normal_ones),
                ("normal X.T@X + column sums", normal_sums),
                ("normal, centred copy", normal_centred),
                ("lstsq (SVD)", lstsq)]:
    f()
    t = []
    c = []
    for _ in range(repeats if name != "lstsq (SVD)" else 2):
        t0 = time.perf_counter()
        c0 = time.process_time()
        f()
        c.append(time.process_time() - c0)
        t.append(time.perf_counter() - t0)
    t.sort()
    c.sort()
    print(f"| {name} | {t[len(t) // 2]:.3f} | {t[0]:.3f} | {c[len(c) // 2]:.3f} |")
