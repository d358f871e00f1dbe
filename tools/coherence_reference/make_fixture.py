"""Reference boxcar coherence for tests/coherence_slc.rs (numpy, independent of SlideMap).

gamma = |sum(s1 * conj(s2))| / sqrt(sum(|s1|^2) * sum(|s2|^2)) over a 3 x 3 window, the
window clipped at the image border. Writes tests/fixtures/coherence/boxcar_reference.json
with the two complex inputs (real/imag planes) and the expected coherence.

Usage: python3 -m venv .venv && .venv/bin/pip install -r tools/coherence_reference/requirements.txt
       .venv/bin/python tools/coherence_reference/make_fixture.py
"""
import json
import pathlib

import numpy as np

rng = np.random.default_rng(20211)
rows, cols = 7, 9
s1 = (rng.normal(size=(rows, cols)) + 1j * rng.normal(size=(rows, cols))).astype(np.complex64)
noise = (rng.normal(size=(rows, cols)) + 1j * rng.normal(size=(rows, cols))).astype(np.complex64)
# partly coherent second image: left half coherent, right half mostly noise
mix = np.where(np.arange(cols)[None, :] < cols // 2, 0.9, 0.2).astype(np.float32)
s2 = (mix * s1 * np.exp(1j * 0.3) + (1 - mix) * noise).astype(np.complex64)

def boxcar(a, b, w=3):
    h = w // 2
    out = np.full(a.shape, np.nan)
    for r in range(a.shape[0]):
        for c in range(a.shape[1]):
            r0, r1 = max(0, r - h), min(a.shape[0], r + h + 1)
            c0, c1 = max(0, c - h), min(a.shape[1], c + h + 1)
            x = a[r0:r1, c0:c1].astype(np.complex128)
            y = b[r0:r1, c0:c1].astype(np.complex128)
            num = np.abs(np.sum(x * np.conj(y)))
            den = np.sqrt(np.sum(np.abs(x) ** 2) * np.sum(np.abs(y) ** 2))
            out[r, c] = num / den if den > 0 else np.nan
    return out

gamma = boxcar(s1, s2)
out = {
    "rows": rows,
    "cols": cols,
    "s1_re": s1.real.ravel().tolist(),
    "s1_im": s1.imag.ravel().tolist(),
    "s2_re": s2.real.ravel().tolist(),
    "s2_im": s2.imag.ravel().tolist(),
    "coherence": gamma.ravel().tolist(),
}
path = pathlib.Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "coherence" / "boxcar_reference.json"
path.write_text(json.dumps(out))
print(f"wrote {path}")
