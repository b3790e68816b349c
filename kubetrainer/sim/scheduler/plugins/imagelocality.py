"""ImageLocality (plugins/imagelocality/image_locality.go).

sum over the pod's (init) containers of size * (nodesWithImage / totalNodes) for images the node
has; clamped to [23MiB, 1000MiB * #containers]; score = 100 * (sum - 23MiB) / (max - 23MiB).
Weight 1.
"""

from __future__ import annotations

import numpy as np

from kubetrainer.sim.scheduler.types import CycleState, Plugin

MB = 1024 * 1024
MIN_THRESHOLD = 23 * MB
MAX_CONTAINER_THRESHOLD = 1000 * MB


def calculate_priority(sum_scores: np.ndarray, num_containers: int) -> np.ndarray:
    max_threshold = MAX_CONTAINER_THRESHOLD * num_containers
    s = np.clip(np.asarray(sum_scores, np.int64), MIN_THRESHOLD, max(max_threshold, MIN_THRESHOLD))
    if max_threshold <= MIN_THRESHOLD:
        return np.zeros_like(s)
    return 100 * (s - MIN_THRESHOLD) // (max_threshold - MIN_THRESHOLD)


class ImageLocality(Plugin):
    name = "ImageLocality"
    weight = 1
    legacy = ("ImageLocalityPriority",)
    has_score = True

    def score(self, state: CycleState, idx: np.ndarray) -> np.ndarray | None:
        t = state.table
        images = state.pod.images
        n_containers = len(images)
        present = [img for img in images if t.image_nodes.get(img)]
        if not present:
            return np.zeros(idx.size, dtype=np.int64)
        total = t.n
        sums = np.zeros(idx.size, dtype=np.int64)
        for j, i in enumerate(idx.tolist()):
            node_imgs = t.images[i]
            s = 0
            for img in images:
                size = node_imgs.get(img)
                if size is not None:
                    s += int(float(size) * (float(t.image_nodes[img]) / float(total)))
            sums[j] = s
        return calculate_priority(sums, n_containers)
