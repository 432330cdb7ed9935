import numpy as np
import pytest

from jet_images import jet_image, vit_pixel_values


def test_orientation_top_is_plus_dphi_left_is_minus_deta():
    image = jet_image(np.array([-0.7]), np.array([0.7]), np.array([5.0]), pixels=4)
    assert image.shape == (1, 4, 4)
    assert image[0, 0, 0] == 1.0  # top-left pixel: +dphi, -deta
    image = jet_image(np.array([0.7]), np.array([-0.7]), np.array([5.0]), pixels=4)
    assert image[0, 3, 3] == 1.0


def test_pt_weighted_sums_to_one_and_drops_outside_window():
    image = jet_image(np.array([0.0, 0.1, 0.9]), np.array([0.0, 0.0, 0.0]),
                      np.array([1.0, 3.0, 100.0]), pixels=8)
    assert image.sum() == pytest.approx(1.0)
    # Both constituents inside share pixel (4, 4): deta 0 and 0.1 -> column 4, dphi 0 -> row 4.
    assert image[0, 4, 4] == pytest.approx(1.0)


def test_half_open_upper_edges():
    # deta = +R is outside ([-R, R)); dphi = +R is the top row, dphi = -R is outside.
    image = jet_image(np.array([0.8, 0.0, 0.0]), np.array([0.0, 0.8, -0.8]),
                      np.array([1.0, 2.0, 4.0]), pixels=4)
    assert image.sum() == pytest.approx(1.0)
    assert image[0, 0, 2] == pytest.approx(1.0)


def test_bad_input():
    with pytest.raises(ValueError, match="pixels must be positive"):
        jet_image(np.zeros(1), np.zeros(1), np.ones(1), pixels=0)
    with pytest.raises(ValueError, match="differ in length"):
        jet_image(np.zeros(2), np.zeros(1), np.ones(1), pixels=4)


def test_vit_pixel_values_max_scale_replicate_normalise():
    images = np.zeros((1, 1, 2, 2), np.float32)
    images[0, 0, 0, 0] = 0.75
    images[0, 0, 1, 1] = 0.25
    pv = vit_pixel_values(images)
    assert pv.shape == (1, 3, 2, 2)
    assert np.allclose(pv[0, :, 0, 0], 1.0)
    assert np.allclose(pv[0, :, 1, 1], (1 / 3 - 0.5) / 0.5)
    assert np.allclose(pv[0, :, 0, 1], -1.0)
