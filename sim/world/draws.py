"""numpy's Generator draws, compiled: uniform, Poisson and binomial numbers from the model's own
PCG64 stream, as `np.random.Generator` makes them.

The day's kernel (sim/world/kernel.py) draws its random numbers here. It reads and advances the
state of the model's bit generator in place (through the address numpy gives for it), and
repeats numpy's algorithms (random/src/distributions/distributions.c: next_double,
random_poisson with its multiplication and PTRS methods, random_binomial with inversion and
BTPE), so the compiled and the numpy paths draw the same numbers, in the same order, from the
same stream, and the other draws of the day (Python's) follow on from where the kernel left it.
`tests/test_draws.py` compares them draw for draw with numpy's.

`matches_numpy()` checks on this machine that the state's layout is the one read here (128-bit
words low half first, as numpy builds with a compiler that has 128-bit integers); where it is
not, the model runs the numpy path.
"""

from __future__ import annotations

import math

import numpy as np

try:
    from numba import carray, njit, types
    from numba.extending import intrinsic
except ImportError:  # pragma: no cover - the numpy path runs instead
    njit = None

if njit is not None:

    @intrinsic
    def _words(typingctx, address):
        """The uint64 words at an address (an integer), as a pointer."""
        if not isinstance(address, types.Integer):
            return None
        pointer = types.CPointer(types.uint64)

        def codegen(context, builder, signature, args):
            return builder.inttoptr(args[0], context.get_value_type(pointer))

        return pointer(address), codegen

    def _jit(fn):
        return njit(cache=True)(fn)

else:  # pragma: no cover
    def _jit(fn):
        return fn


MASK32 = np.uint64(0xFFFFFFFF)
SHIFT32, SHIFT58, SHIFT11, BITS63 = np.uint64(32), np.uint64(58), np.uint64(11), np.uint64(63)
MULT_HI, MULT_LO = np.uint64(0x2360ED051FC65DA4), np.uint64(0x4385DF649FCCF645)  # PCG_DEFAULT_MULTIPLIER_128
ONE, SIXTY_FOUR = np.uint64(1), np.uint64(64)


@_jit
def state(address):
    """The PCG64 state (state low, state high, increment low, increment high) of a bit generator,
    from its `ctypes.state_address`: a view of numpy's memory, not a copy."""
    return carray(_words(carray(_words(address), 1)[0]), 4)


@_jit
def _mulhi(a, b):
    """The high 64 bits of the 128-bit product of two uint64."""
    a_lo, a_hi, b_lo, b_hi = a & MASK32, a >> SHIFT32, b & MASK32, b >> SHIFT32
    lo_lo, lo_hi, hi_lo = a_lo * b_lo, a_lo * b_hi, a_hi * b_lo
    cross = (lo_lo >> SHIFT32) + (hi_lo & MASK32) + lo_hi
    return a_hi * b_hi + (hi_lo >> SHIFT32) + (cross >> SHIFT32)


@_jit
def next_uint64(s):
    """pcg64_next64: step the 128-bit LCG, then the XSL-RR output of the new state."""
    lo, hi = s[0], s[1]
    new_hi = _mulhi(lo, MULT_LO) + lo * MULT_HI + hi * MULT_LO
    new_lo = lo * MULT_LO + s[2]
    new_hi = new_hi + s[3] + (ONE if new_lo < s[2] else np.uint64(0))
    s[0], s[1] = new_lo, new_hi
    xsl = new_hi ^ new_lo
    rot = new_hi >> SHIFT58
    return (xsl >> rot) | (xsl << ((SIXTY_FOUR - rot) & BITS63))


@_jit
def random(s):
    """next_double: a uniform on [0, 1) from 53 bits."""
    return float(next_uint64(s) >> SHIFT11) * (1.0 / 9007199254740992.0)


@_jit
def _loggam(x):
    """random_loggam: log Gamma(x), for the Poisson PTRS method."""
    a = (8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04, -5.952380952380952e-04, 8.417508417508418e-04,
         -1.917526917526918e-03, 6.410256410256410e-03, -2.955065359477124e-02, 1.796443723688307e-01, -1.39243221690590e00)
    if x == 1.0 or x == 2.0:
        return 0.0
    x0, n = x, 0
    if x <= 7.0:
        n = int(7 - x)
        x0 = x + n
    x2 = 1.0 / (x0 * x0)
    gl0 = a[9]
    for k in range(8, -1, -1):
        gl0 *= x2
        gl0 += a[k]
    gl = gl0 / x0 + 0.5 * math.log(2 * math.pi) + (x0 - 0.5) * math.log(x0) - x0
    if x <= 7.0:
        for _ in range(n):
            gl -= math.log(x0 - 1.0)
            x0 -= 1.0
    return gl


@_jit
def poisson(s, lam):
    """random_poisson: the PTRS method for lam >= 10, multiplication below it, 0 without a draw at 0."""
    if lam >= 10:
        slam, loglam = math.sqrt(lam), math.log(lam)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            u = random(s) - 0.5
            v = random(s)
            us = 0.5 - abs(u)
            k = int(math.floor((2 * a / us + b) * u + lam + 0.43))
            if us >= 0.07 and v <= vr:
                return k
            if k < 0 or (us < 0.013 and v > us):
                continue
            if (math.log(v) + math.log(invalpha) - math.log(a / (us * us) + b)) <= (-lam + k * loglam - _loggam(k + 1)):
                return k
    if lam == 0:
        return 0
    enlam = math.exp(-lam)
    x, prod = 0, 1.0
    while True:
        prod *= random(s)
        if prod > enlam:
            x += 1
        else:
            return x


@_jit
def _inversion(s, n, p):
    """random_binomial_inversion, for n p <= 30 and p <= 0.5."""
    q = 1.0 - p
    qn = math.exp(n * math.log(q))
    np_ = n * p
    bound = int(min(n, np_ + 10.0 * math.sqrt(np_ * q + 1)))
    x, px = 0, qn
    u = random(s)
    while u > px:
        x += 1
        if x > bound:
            x, px = 0, qn
            u = random(s)
        else:
            u -= px
            px = ((n - x + 1) * p * px) / (x * q)
    return x


@_jit
def _btpe(s, n, p):
    """random_binomial_btpe (Kachitvichyanukul and Schmeiser's BTPE), for n p > 30 and p <= 0.5."""
    r = min(p, 1.0 - p)
    q = 1.0 - r
    fm = n * r + r
    m = int(math.floor(fm))
    p1 = math.floor(2.195 * math.sqrt(n * r * q) - 4.6 * q) + 0.5
    xm = m + 0.5
    xl, xr = xm - p1, xm + p1
    c = 0.134 + 20.5 / (15.3 + m)
    a = (fm - xl) / (fm - xl * r)
    laml = a * (1.0 + a / 2.0)
    a = (xr - fm) / (xr * q)
    lamr = a * (1.0 + a / 2.0)
    p2 = p1 * (1.0 + 2.0 * c)
    p3 = p2 + c / laml
    p4 = p3 + c / lamr
    while True:  # Step10
        nrq = n * r * q
        u = random(s) * p4
        v = random(s)
        if u <= p1:
            y = int(math.floor(xm - p1 * v + u))
            break  # Step60
        if u <= p2:  # Step20
            x = xl + (u - p1) / c
            v = v * c + 1.0 - abs(m - x + 0.5) / p1
            if v > 1.0:
                continue
            y = int(math.floor(x))
        elif u <= p3:  # Step30
            y = int(math.floor(xl + math.log(v) / laml)) if v > 0.0 else -1
            if y < 0 or v == 0.0:
                continue
            v = v * (u - p2) * laml
        else:  # Step40
            y = int(math.floor(xr - math.log(v) / lamr)) if v > 0.0 else n + 1
            if y > n or v == 0.0:
                continue
            v = v * (u - p3) * lamr
        k = abs(y - m)  # Step50
        if not (k > 20 and k < nrq / 2.0 - 1):
            ratio = r / q
            a = ratio * (n + 1)
            f = 1.0
            if m < y:
                for i in range(m + 1, y + 1):
                    f *= a / i - ratio
            elif m > y:
                for i in range(y + 1, m + 1):
                    f /= a / i - ratio
            if v > f:
                continue
            break
        rho = (k / nrq) * ((k * (k / 3.0 + 0.625) + 0.16666666666666666) / nrq + 0.5)  # Step52
        t = -k * k / (2 * nrq)
        big_a = math.log(v) if v > 0.0 else -math.inf
        if big_a < t - rho:
            break
        if big_a > t + rho:
            continue
        x1, f1, z, w = y + 1.0, m + 1.0, n + 1.0 - m, n - y + 1.0
        x2, f2, z2, w2 = x1 * x1, f1 * f1, z * z, w * w
        bound = (xm * math.log(f1 / x1) + (n - m + 0.5) * math.log(z / w) + (y - m) * math.log(w * r / (x1 * q))
                 + (13680.0 - (462.0 - (132.0 - (99.0 - 140.0 / f2) / f2) / f2) / f2) / f1 / 166320.0
                 + (13680.0 - (462.0 - (132.0 - (99.0 - 140.0 / z2) / z2) / z2) / z2) / z / 166320.0
                 + (13680.0 - (462.0 - (132.0 - (99.0 - 140.0 / x2) / x2) / x2) / x2) / x1 / 166320.0
                 + (13680.0 - (462.0 - (132.0 - (99.0 - 140.0 / w2) / w2) / w2) / w2) / w / 166320.0)
        if big_a > bound:
            continue
        break
    if p > 0.5:
        y = n - y
    return y


@_jit
def binomial(s, n, p):
    """random_binomial: 0 without a draw for n = 0 or p = 0; inversion for n p <= 30, else BTPE
    (on the smaller of p and 1 - p)."""
    if n == 0 or p == 0.0:
        return 0
    if p <= 0.5:
        return _inversion(s, n, p) if p * n <= 30.0 else _btpe(s, n, p)
    q = 1.0 - p
    return n - (_inversion(s, n, q) if q * n <= 30.0 else _btpe(s, n, q))


def matches_numpy() -> bool:
    """Whether this machine's numpy keeps PCG64's state as read here (a few draws compared)."""
    if njit is None:
        return False
    ours, theirs = np.random.PCG64(20260222), np.random.PCG64(20260222)
    s = state(ours.ctypes.state_address)
    return [int(next_uint64(s)) for _ in range(8)] == [int(v) for v in theirs.random_raw(8)] and ours.state == theirs.state
