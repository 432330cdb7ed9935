"""Jet images the way JetLens builds them, in numpy.

Convention (shared with JetLens's TypeScript image builder): float32 `[channel][row][col]`;
rows follow dphi with the top row at +dphi, columns follow deta with the left column at -deta;
the window is 2R x 2R around the jet axis with R = 0.8, split into `pixels` x `pixels` bins.
A constituent lands in pixel (floor(y), floor(x)) with x = (deta + R) / w and
y = (R - dphi) / w for the pixel width w = 2R / pixels, so columns cover deta in [-R, R)
and rows dphi in (-R, R]; it adds its pT there, and the image is normalised to sum to one.
Constituents outside the window are dropped.

Then the ViT's preprocessing, as JetLens's runtime applies it to a one-channel jet image with
the mean and std of the checkpoint's preprocessor_config.json: divide by the image's maximum,
replicate the channel, normalise ((x - mean) / std). Images are built at the model's size, so
the bilinear resize step is the identity.
"""

import numpy as np

RADIUS = 0.8


def jet_image(deta: np.ndarray, dphi: np.ndarray, pt: np.ndarray, pixels: int,
              radius: float = RADIUS) -> np.ndarray:
    """One jet's image `[1, pixels, pixels]`, pT-weighted and summing to one."""
    if pixels <= 0:
        raise ValueError(f"pixels must be positive, got {pixels}")
    if not (len(deta) == len(dphi) == len(pt)):
        raise ValueError(f"deta, dphi and pt differ in length: {len(deta)}, {len(dphi)}, {len(pt)}")
    # The same float64 operations as the TypeScript builder, so that pixel edges agree.
    width = (radius - -radius) / pixels
    col = np.floor((np.asarray(deta, np.float64) - -radius) / width).astype(np.int64)
    row = np.floor((radius - np.asarray(dphi, np.float64)) / width).astype(np.int64)
    inside = (col >= 0) & (col < pixels) & (row >= 0) & (row < pixels)
    image = np.zeros((pixels, pixels), np.float64)
    np.add.at(image, (row[inside], col[inside]), np.asarray(pt, np.float64)[inside])
    total = image.sum()
    if total > 0:
        image /= total
    return image.astype(np.float32)[None]


def vit_pixel_values(images: np.ndarray, channels: int = 3, mean: float = 0.5,
                     std: float = 0.5) -> np.ndarray:
    """`[N, 1, H, W]` jet images to `[N, channels, H, W]` pixel values for the ViT."""
    peak = images.reshape(len(images), -1).max(axis=1).reshape(-1, 1, 1, 1)
    scaled = images / np.where(peak > 0, peak, 1)
    return ((np.repeat(scaled, channels, axis=1) - mean) / std).astype(np.float32)
