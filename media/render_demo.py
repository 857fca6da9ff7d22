#!/usr/bin/env python3
"""Render the demo footage of the built-in session "Foot-Spine Connections".

There is no real footage: every clip is a simple animated line figure drawn with QPainter. The picture
holds only the figure and its highlights, no words: the app shows the cues from the WebVTT file written
beside each clip, and the "DEMO FOOTAGE" badge from the manifest, so that mirroring the video never
mirrors any text. Frames are piped as raw RGB into ffmpeg, which encodes small H.264 MP4 files. The
session's poster (the card in the library) is one frame of the first clip, written as a PNG.

    python media/render_demo.py [--out DIR] [--paid-out DIR]

--out       where the free preview clips go (default: the folder of this script); they are written to
            DIR/foot-spine-connections/.
--paid-out  also render the plaintext of the paid full-session parts into DIR. Never point this into the
            repository: the paid parts are encrypted by the publisher tool and the plaintext is not committed.

Needs ffmpeg on PATH and PySide6. The output depends only on the code (and on the ffmpeg/x264 and font
versions): no randomness, no clock.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QBrush,
    QColor,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QRadialGradient,
)

WIDTH, HEIGHT, FPS = 640, 360, 24
FLOOR_Y = 282.0
SESSION_DIR = "foot-spine-connections"
POSTER_NAME = "poster.png"
POSTER_AT_S = 21.0  # of the first clip: heel up, hip open, both highlighted

BG_TOP = QColor("#1d2738")
BG_BOTTOM = QColor("#121925")
FIGURE = QColor("#e6ebf2")
FIGURE_FAR = QColor("#8a95a8")
DIM = QColor("#5b667a")
ACCENT = QColor("#f5b942")


Glow = Mapping[str, float]
Marks = Mapping[str, Sequence[QPointF]]


# --------------------------------------------------------------------------------------------- clips


@dataclass(frozen=True)
class Cue:
    start_s: float
    end_s: float
    text: str


Scene = Callable[[QPainter, float], None]


@dataclass(frozen=True)
class Clip:
    stem: str
    title: str
    duration_s: int
    cues: tuple[Cue, ...]
    scene: Scene

    @property
    def frame_count(self) -> int:
        return self.duration_s * FPS


def cues(*items: tuple[float, float, str]) -> tuple[Cue, ...]:
    return tuple(Cue(a, b, text) for a, b, text in items)


def cue_at(all_cues: Sequence[Cue], t: float) -> str:
    for cue in all_cues:
        if cue.start_s <= t < cue.end_s:
            return cue.text
    return ""


# ---------------------------------------------------------------------------------- animation helpers


def clamp01(x: float) -> float:
    return min(1.0, max(0.0, x))


def lerp(a: float, b: float, u: float) -> float:
    return a + (b - a) * u


def smooth(x: float) -> float:
    s = clamp01(x)
    return s * s * (3.0 - 2.0 * s)


def ramp(t: float, t0: float, t1: float) -> float:
    """0 before t0, 1 after t1, eased in between."""
    return smooth((t - t0) / (t1 - t0))


def window(t: float, t0: float, t1: float, fade: float = 0.6) -> float:
    """1 inside [t0, t1], eased in and out over ``fade`` seconds."""
    return ramp(t, t0, t0 + fade) * (1.0 - ramp(t, t1 - fade, t1))


def cycle(t: float, t0: float, t1: float, period: float) -> float:
    """0 -> 1 -> 0 every ``period`` seconds inside [t0, t1], 0 outside."""
    if t < t0 or t >= t1:
        return 0.0
    return 0.5 - 0.5 * math.cos(2.0 * math.pi * (t - t0) / period)


def bump(x: float) -> float:
    """0 -> 1 -> 0 over x in [0, 1]."""
    return math.sin(math.pi * clamp01(x)) ** 2


def pt(x: float, y: float) -> QPointF:
    return QPointF(x, y)


def mix(a: QPointF, b: QPointF, u: float) -> QPointF:
    return QPointF(lerp(a.x(), b.x(), u), lerp(a.y(), b.y(), u))


def rotate(v: QPointF, about: QPointF, degrees: float) -> QPointF:
    """Rotate ``v`` about ``about`` (screen coordinates; positive = clockwise on screen)."""
    a = math.radians(degrees)
    dx, dy = v.x() - about.x(), v.y() - about.y()
    return QPointF(about.x() + dx * math.cos(a) - dy * math.sin(a), about.y() + dx * math.sin(a) + dy * math.cos(a))


def head_of(points: Sequence[QPointF], u: float) -> list[QPointF]:
    """The first fraction ``u`` (by length) of a polyline."""
    lengths = [math.dist((a.x(), a.y()), (b.x(), b.y())) for a, b in pairwise(points)]
    target = clamp01(u) * sum(lengths)
    out = [points[0]]
    for b, length in zip(points[1:], lengths, strict=True):
        if target <= length:
            return out + [mix(out[-1], b, target / length if length > 0 else 1.0)]
        target -= length
        out.append(b)
    return out


def along(points: Sequence[QPointF], u: float) -> QPointF:
    """The point at fraction ``u`` of the length of a polyline."""
    return head_of(points, u)[-1]


# ------------------------------------------------------------------------------------- body geometry


@dataclass(frozen=True)
class Body:
    """Segment lengths in cm and the drawing scale in px per cm."""

    scale: float = 1.25
    ankle_h: float = 8.0
    shin: float = 43.0
    thigh: float = 45.0
    spine: tuple[float, float, float] = (17.0, 18.0, 17.0)  # lumbar, lower and upper thoracic
    neck: float = 9.0
    head_r: float = 11.0
    upper_arm: float = 30.0
    forearm: float = 44.0  # forearm and hand
    heel_to_ball: float = 18.0
    ankle_from_heel: float = 5.5
    toe: float = 6.5
    arch: float = 2.4
    line: float = 5.0  # px

    def px(self, cm: float) -> float:
        return cm * self.scale


BODY = Body()
BALL_R_CM = 4.5  # the massage ball under the foot
STAND_HIP_Y = FLOOR_Y - BODY.px(95.8)


@dataclass(frozen=True)
class FootPose:
    """A foot seen from the side. ``pitch`` > 0 lifts the heel (pivot at the ball), < 0 lifts the
    forefoot (pivot at the heel); ``toe_lift`` raises the toes further; ``lift`` raises the whole foot."""

    heel_x: float
    pitch: float = 0.0
    toe_lift: float = 0.0
    lift: float = 0.0  # px
    arch_drop: float = 0.0  # 0 = resting arch, 1 = flat, < 0 = higher


# side-view foot outline in cm, x forward from the heel's floor contact, y up (heel -> ankle -> ball top)
FOOT_UPPER = ((1.2, 0.0), (-0.9, 1.0), (-1.3, 3.0), (-0.6, 5.5), (1.8, 9.0), (7.5, 9.0), (10.5, 6.8),
              (14.5, 4.2), (18.0, 2.7))
# the toes, relative to the MTP joint (18, 1.35): top, tip, underside
TOE_SHAPE = ((0.0, 1.35), (4.5, 0.9), (6.6, 0.1), (6.7, -0.8), (5.8, -1.35), (0.0, -1.35))


@dataclass(frozen=True)
class FootPoints:
    heel: QPointF
    ankle: QPointF
    arch: QPointF
    ball: QPointF
    toe: QPointF
    upper: tuple[QPointF, ...]
    toes: tuple[QPointF, ...]

    def sole(self, u: float) -> QPointF:
        """A point under the foot: 0 = heel, 0.78 = ball, 1 = toe tip."""
        if u <= 0.78:
            return mix(self.heel, self.ball, u / 0.78)
        return mix(self.ball, self.toe, (u - 0.78) / 0.22)


def foot_points(pose: FootPose, body: Body, floor_y: float, facing: int) -> FootPoints:
    base = pt(pose.heel_x, floor_y - pose.lift)

    def local(x_cm: float, y_cm: float) -> QPointF:  # x forward, y up
        return pt(base.x() + facing * body.px(x_cm), base.y() - body.px(y_cm))

    heel, ball, mtp = local(1.2, 0), local(body.heel_to_ball, 0), local(body.heel_to_ball, 1.35)
    ankle = local(body.ankle_from_heel, body.ankle_h)
    arch = local(body.heel_to_ball * 0.5, body.arch * (1.0 - pose.arch_drop))
    pivot = ball if pose.pitch >= 0 else heel
    turn = facing * pose.pitch  # heel up = clockwise on screen when facing right

    def foot(q: QPointF) -> QPointF:
        return rotate(q, pivot, turn)

    upper = tuple(foot(local(x, y)) for x, y in FOOT_UPPER)
    mtp = foot(mtp)
    toe_turn = -facing * (max(0.0, -pose.pitch) + pose.toe_lift)
    toes = tuple(rotate(pt(mtp.x() + facing * body.px(x), mtp.y() - body.px(y)), mtp, toe_turn) for x, y in TOE_SHAPE)
    return FootPoints(foot(heel), foot(ankle), foot(arch), foot(ball), toes[3], upper, toes)


def knee_point(hip: QPointF, ankle: QPointF, thigh: float, shin: float, bend: int) -> QPointF:
    """Two-link inverse kinematics; ``bend`` = +1 puts the knee to the right of the hip-ankle line."""
    dx, dy = ankle.x() - hip.x(), ankle.y() - hip.y()
    d = min(max(math.hypot(dx, dy), abs(thigh - shin) + 1e-3), thigh + shin - 1e-3)
    a = (thigh * thigh - shin * shin + d * d) / (2.0 * d)
    h = math.sqrt(max(0.0, thigh * thigh - a * a))
    ux, uy = dx / d, dy / d
    return pt(hip.x() + ux * a + uy * h * bend, hip.y() + uy * a - ux * h * bend)


def settle_hip(hip: QPointF, ankles: Sequence[QPointF], body: Body) -> QPointF:
    """Lower the hip until every ankle is within reach (keeps the feet on the floor)."""
    reach = body.px(body.thigh + body.shin) * 0.999
    y = hip.y()
    for ankle in ankles:
        dx = abs(ankle.x() - hip.x())
        if dx < reach:
            y = max(y, ankle.y() - math.sqrt(reach * reach - dx * dx))
    return pt(hip.x(), y)


# --------------------------------------------------------------------------------- side-view figure


@dataclass(frozen=True)
class SidePose:
    """A figure seen from the side. Angles in degrees, positive = towards the facing direction."""

    hip: QPointF
    near_foot: FootPose
    far_foot: FootPose
    spine: tuple[float, float, float] = (0.0, 0.0, 0.0)  # lean of each segment from vertical
    neck: float = 0.0
    pelvis_tilt: float = 0.0  # + = anterior tilt
    sacrum_nod: float = 0.0
    near_arm: tuple[float, float] = (6.0, 10.0)  # upper arm from vertical-down, elbow flexion
    far_arm: tuple[float, float] = (-4.0, 8.0)
    facing: int = 1


@dataclass(frozen=True)
class SideJoints:
    pose: SidePose
    hip: QPointF
    pelvis: QPointF
    near_knee: QPointF
    far_knee: QPointF
    near_foot: FootPoints
    far_foot: FootPoints
    spine: tuple[QPointF, ...]  # base, lumbar top, lower thoracic top, shoulder
    neck_top: QPointF
    head: QPointF
    near_elbow: QPointF
    near_hand: QPointF
    far_elbow: QPointF
    far_hand: QPointF


def up_dir(deg: float, facing: int) -> QPointF:
    a = math.radians(deg)
    return pt(facing * math.sin(a), -math.cos(a))


def down_dir(deg: float, facing: int) -> QPointF:
    a = math.radians(deg)
    return pt(facing * math.sin(a), math.cos(a))


def solve_side(pose: SidePose, body: Body = BODY, floor_y: float = FLOOR_Y) -> SideJoints:
    f = pose.facing
    near = foot_points(pose.near_foot, body, floor_y, f)
    far = foot_points(pose.far_foot, body, floor_y, f)
    hip = settle_hip(pose.hip, (near.ankle, far.ankle), body)
    thigh, shin = body.px(body.thigh), body.px(body.shin)
    pelvis = hip + up_dir(-10.0 + pose.pelvis_tilt, f) * body.px(5.0)
    spine = [pelvis]
    for length, lean in zip(body.spine, pose.spine, strict=True):
        spine.append(spine[-1] + up_dir(lean, f) * body.px(length))
    neck_top = spine[-1] + up_dir(pose.neck, f) * body.px(body.neck)
    head = neck_top + up_dir(pose.neck, f) * body.px(body.head_r)

    def arm(angles: tuple[float, float]) -> tuple[QPointF, QPointF]:
        elbow = spine[-1] + down_dir(angles[0], f) * body.px(body.upper_arm)
        return elbow, elbow + down_dir(angles[0] + angles[1], f) * body.px(body.forearm)

    near_elbow, near_hand = arm(pose.near_arm)
    far_elbow, far_hand = arm(pose.far_arm)
    return SideJoints(
        pose, hip, pelvis,
        knee_point(hip, near.ankle, thigh, shin, f), knee_point(hip, far.ankle, thigh, shin, f),
        near, far, tuple(spine), neck_top, head, near_elbow, near_hand, far_elbow, far_hand,
    )


def side_marks(j: SideJoints) -> dict[str, tuple[QPointF, ...]]:
    foot = j.near_foot
    return {
        "big_toe": foot.toes[:4],
        "heel": (foot.heel,),
        "arch": (foot.arch,),
        "sole": (foot.sole(0.5),),
        "ankle": (foot.ankle,),
        "knee": (j.near_knee,),
        "hip": (j.hip,),
        "thigh": (j.hip, j.near_knee),
        "pelvis": (j.pelvis,),
        "spine0": (j.spine[0], j.spine[1]),
        "spine1": (j.spine[1], j.spine[2]),
        "spine2": (j.spine[2], j.spine[3]),
        "neck": (j.spine[3], j.neck_top),
        "hand": (j.near_hand,),
    }


def pen(color: QColor, width: float, alpha: float = 1.0) -> QPen:
    c = QColor(color)
    c.setAlphaF(clamp01(alpha) * color.alphaF())
    return QPen(c, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)


def polyline(p: QPainter, points: Sequence[QPointF], color: QColor, width: float, alpha: float = 1.0) -> None:
    p.setPen(pen(color, width, alpha))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPolyline(QPolygonF(list(points)))


def draw_side_foot(p: QPainter, foot: FootPoints, color: QColor, width: float) -> None:
    path = QPainterPath(foot.upper[0])
    for q in foot.upper[1:]:
        path.lineTo(q)
    path.lineTo(foot.ball)
    path.quadTo(foot.arch * 2.0 - mix(foot.heel, foot.ball, 0.5), foot.upper[0])
    toes = QPainterPath(foot.toes[0])
    for q in foot.toes[1:]:
        toes.lineTo(q)
    toes.closeSubpath()
    p.setPen(pen(color, width * 0.35))
    p.setBrush(color)
    p.drawPath(path)
    p.drawPath(toes)


def draw_side_pelvis(p: QPainter, center: QPointF, pose: SidePose, color: QColor, body: Body,
                     sacrum: QColor = DIM) -> None:
    """The pelvis as a tilted oval with the sacrum, a small wedge at its back, nodding inside it."""
    f = pose.facing
    p.save()
    p.translate(center)
    p.rotate(f * (pose.pelvis_tilt - 10.0))
    w, h = body.px(17.0), body.px(10.0)
    fill = QColor(color)
    fill.setAlphaF(0.22)
    p.setPen(pen(color, max(1.5, body.line * 0.3)))
    p.setBrush(fill)
    p.drawEllipse(QRectF(-w / 2, -h / 2, w, h))
    p.rotate(f * pose.sacrum_nod)
    back = -f * w / 2
    p.setPen(pen(color, max(1.5, body.line * 0.25)))
    p.setBrush(sacrum)
    p.drawPolygon(QPolygonF([pt(back, -h * 0.45), pt(back + f * w * 0.28, -h * 0.3), pt(back + f * w * 0.08, h * 0.5)]))
    p.restore()


def draw_head(p: QPainter, center: QPointF, radius: float, facing: int, tilt: float, color: QColor,
              width: float) -> None:
    p.setPen(pen(color, width * 0.7))
    p.setBrush(QColor(BG_TOP))
    p.drawEllipse(center, radius, radius)
    nose = center + up_dir(tilt + 90.0, facing) * radius
    polyline(p, (nose, nose + up_dir(tilt + 100.0, facing) * radius * 0.3), color, width * 0.6)
    eye = center + up_dir(tilt + 60.0, facing) * radius * 0.55
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(color)
    p.drawEllipse(eye, width * 0.35, width * 0.35)


def draw_side_figure(p: QPainter, j: SideJoints, glow: Glow, body: Body = BODY) -> None:
    marks = side_marks(j)
    draw_glows(p, marks, glow, body.px(9.0))
    w = body.line
    polyline(p, (j.spine[-1], j.far_elbow, j.far_hand), FIGURE_FAR, w * 0.9)
    polyline(p, (j.hip, j.far_knee, j.far_foot.ankle), FIGURE_FAR, w)
    draw_side_foot(p, j.far_foot, FIGURE_FAR, w)
    polyline(p, j.spine, FIGURE, w * 1.15)
    polyline(p, (j.spine[-1], j.neck_top), FIGURE, w * 0.9)
    draw_side_pelvis(p, j.pelvis, j.pose, FIGURE, body)
    draw_head(p, j.head, body.px(body.head_r), j.pose.facing, j.pose.neck, FIGURE, w)
    polyline(p, (j.hip, j.near_knee, j.near_foot.ankle), FIGURE, w)
    draw_side_foot(p, j.near_foot, FIGURE, w)
    polyline(p, (j.spine[-1], j.near_elbow, j.near_hand), FIGURE, w * 0.9)
    draw_tints(p, marks, glow, w)


# -------------------------------------------------------------------------------- front-view figure


@dataclass(frozen=True)
class FrontPose:
    """A figure facing the viewer. Index 0 = the leg on the screen's left (the figure's right).
    ``*_yaw`` > 0 turns the front of that level towards the screen's right."""

    center_x: float
    squat: float = 0.0  # cm the hips sink
    pelvis_yaw: float = 0.0
    shoulder_yaw: float = 0.0
    foot_roll: tuple[float, float] = (0.0, 0.0)  # +1 = rolled in (pronation), -1 = rolled out
    knee_in: tuple[float, float] = (0.0, 0.0)  # cm towards the midline
    feet_cm: float = 11.0  # each foot's distance from the midline


@dataclass(frozen=True)
class FrontLeg:
    hip: QPointF
    knee: QPointF
    ankle: QPointF
    foot: tuple[QPointF, ...]  # lateral top, medial top, medial sole, lateral sole
    second_toe: QPointF
    arch: QPointF
    outer: QPointF


@dataclass(frozen=True)
class FrontJoints:
    pose: FrontPose
    pelvis: tuple[QPointF, ...]  # outline
    legs: tuple[FrontLeg, FrontLeg]
    midline: tuple[QPointF, ...]
    shoulders: tuple[QPointF, QPointF]
    arms: tuple[tuple[QPointF, QPointF], tuple[QPointF, QPointF]]  # elbow, hand
    neck_top: QPointF
    head: QPointF


def front_leg(pose: FrontPose, side: int, hip: QPointF, body: Body, floor_y: float) -> FrontLeg:
    medial = 1.0 if side == 0 else -1.0
    roll = pose.foot_roll[side]
    foot_x = pose.center_x - medial * body.px(pose.feet_cm)
    ankle = pt(foot_x + medial * body.px(3.0) * roll, floor_y - body.px(body.ankle_h))
    lift = body.px(3.0) * max(0.0, -roll)
    sole_med = pt(foot_x + medial * body.px(5.0), floor_y - lift)
    sole_lat = pt(foot_x - medial * body.px(5.0), floor_y)
    top_med = ankle + pt(medial * body.px(3.0), 0)
    top_lat = ankle - pt(medial * body.px(3.0), 0)
    knee = mix(hip, ankle, 0.5) + pt(medial * body.px(pose.knee_in[side]), 0)
    return FrontLeg(
        hip, knee, ankle, (top_lat, top_med, sole_med, sole_lat),
        pt(foot_x + medial * body.px(1.5), floor_y), mix(top_med, sole_med, 0.6), mix(top_lat, sole_lat, 0.7),
    )


def solve_front(pose: FrontPose, body: Body = BODY, floor_y: float = FLOOR_Y) -> FrontJoints:
    cx = pose.center_x
    hip_y = floor_y - body.px(95.0 - pose.squat)
    cos_p, sin_p = math.cos(math.radians(pose.pelvis_yaw)), math.sin(math.radians(pose.pelvis_yaw))
    hips = (pt(cx - body.px(9.0) * cos_p, hip_y), pt(cx + body.px(9.0) * cos_p, hip_y))
    front = cx + body.px(9.0) * sin_p  # the pubic bone: it moves sideways as the pelvis turns
    pelvis = (
        pt(cx - body.px(14.0) * cos_p, hip_y - body.px(12.0)), pt(cx + body.px(14.0) * cos_p, hip_y - body.px(12.0)),
        hips[1], pt(front + body.px(3.0), hip_y + body.px(3.0)), pt(front - body.px(3.0), hip_y + body.px(3.0)),
        hips[0],
    )
    legs = (front_leg(pose, 0, hips[0], body, floor_y), front_leg(pose, 1, hips[1], body, floor_y))
    top_y = hip_y - body.px(sum(body.spine) + 4.0)
    midline = tuple(
        pt(cx + body.px(8.0) * math.sin(math.radians(lerp(pose.pelvis_yaw, pose.shoulder_yaw, i / 6))),
           lerp(hip_y - body.px(6.0), top_y, i / 6))
        for i in range(7)
    )
    half = body.px(19.0) * math.cos(math.radians(pose.shoulder_yaw))
    shoulders = (pt(cx - half, top_y), pt(cx + half, top_y))

    def arm(shoulder: QPointF, out: float) -> tuple[QPointF, QPointF]:
        elbow = shoulder + pt(out * body.px(3.0), body.px(body.upper_arm))
        return elbow, elbow + pt(out * body.px(2.0), body.px(body.forearm))

    neck_top = pt(cx, top_y - body.px(body.neck))
    return FrontJoints(
        pose, pelvis, legs, midline, shoulders, (arm(shoulders[0], -1.0), arm(shoulders[1], 1.0)),
        neck_top, neck_top - pt(0, body.px(body.head_r)),
    )


def front_marks(j: FrontJoints) -> dict[str, tuple[QPointF, ...]]:
    marks: dict[str, tuple[QPointF, ...]] = {
        "pelvis": (mix(j.pelvis[3], j.pelvis[4], 0.5),),
        "spine": j.midline,
        "shoulders": j.shoulders,
    }
    for i, leg in enumerate(j.legs):
        marks[f"arch{i}"] = (leg.arch,)
        marks[f"outer{i}"] = (leg.outer,)
        marks[f"knee{i}"] = (leg.knee,)
        marks[f"hip{i}"] = (leg.hip,)
        marks[f"toe{i}"] = (leg.second_toe,)
    return marks


def draw_front_legs(p: QPainter, j: FrontJoints, body: Body) -> None:
    for leg in j.legs:
        polyline(p, (leg.hip, leg.knee, leg.ankle), FIGURE, body.line)
        p.setPen(pen(FIGURE, body.line * 0.5))
        p.setBrush(FIGURE)
        p.drawPolygon(QPolygonF(list(leg.foot)))


def draw_front_figure(p: QPainter, j: FrontJoints, glow: Glow, body: Body = BODY) -> None:
    marks = front_marks(j)
    draw_glows(p, marks, glow, body.px(9.0))
    w = body.line
    draw_front_legs(p, j, body)
    fill = QColor(FIGURE)
    fill.setAlphaF(0.22)
    p.setPen(pen(FIGURE, w * 0.55))
    p.setBrush(fill)
    p.drawPolygon(QPolygonF(list(j.pelvis)))
    polyline(p, j.midline, FIGURE, w * 1.1)
    polyline(p, j.shoulders, FIGURE, w)
    for shoulder, (elbow, hand) in zip(j.shoulders, j.arms, strict=True):
        polyline(p, (shoulder, elbow, hand), FIGURE, w * 0.9)
    polyline(p, (j.midline[-1], j.neck_top), FIGURE, w * 0.9)
    draw_front_head(p, j, body)
    draw_tints(p, marks, glow, w)


def draw_feet_closeup(p: QPainter, rect: QRectF, pose: FrontPose, glow: Glow) -> None:
    """Shins and feet of a front-view pose, drawn large in a panel."""
    draw_panel(p, rect)
    big = replace(BODY, scale=3.4, line=9.0)
    j = solve_front(replace(pose, center_x=rect.center().x()), big, rect.bottom() - 16.0)
    marks = {k: v for k, v in front_marks(j).items() if k[:-1] in ("arch", "outer", "toe")}
    p.save()
    p.setClipRect(rect.adjusted(1, 22, -1, -1))
    draw_floor(p, rect.left() + 8, rect.right() - 8, rect.bottom() - 16.0)
    draw_glows(p, marks, glow, big.px(4.0))
    draw_front_legs(p, j, big)
    draw_tints(p, marks, glow, big.line * 0.6)
    p.restore()


def draw_front_head(p: QPainter, j: FrontJoints, body: Body) -> None:
    r = body.px(body.head_r)
    p.setPen(pen(FIGURE, body.line * 0.7))
    p.setBrush(QColor(BG_TOP))
    p.drawEllipse(j.head, r, r)
    turn = math.sin(math.radians(j.pose.shoulder_yaw)) * r * 0.5
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(FIGURE)
    for dx in (-0.38 * r, 0.38 * r):
        p.drawEllipse(j.head + pt(dx + turn, -0.1 * r), 1.8, 1.8)


# ------------------------------------------------------------------------------- highlights, panels


def draw_glow(p: QPainter, center: QPointF, radius: float, strength: float) -> None:
    if strength <= 0.01:
        return
    gradient = QRadialGradient(center, radius)
    for stop, alpha in ((0.0, 0.85), (0.45, 0.4), (1.0, 0.0)):
        c = QColor(ACCENT)
        c.setAlphaF(alpha * clamp01(strength))
        gradient.setColorAt(stop, c)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(gradient))
    p.drawEllipse(center, radius, radius)


def draw_glows(p: QPainter, marks: Marks, glow: Glow, radius: float) -> None:
    for name, strength in glow.items():
        points = marks.get(name, ())
        if not points:
            continue
        spots = points if len(points) == 1 else [along(points, 0.5)] if len(points) <= 4 else points[1:-1:2]
        for q in spots:
            draw_glow(p, q, radius * (1.1 if len(points) == 1 else 0.9), strength)


def draw_tints(p: QPainter, marks: Marks, glow: Glow, width: float) -> None:
    """Paint the highlighted parts in the accent colour on top of the figure."""
    for name, strength in glow.items():
        points = marks.get(name, ())
        if strength <= 0.01 or not points:
            continue
        if len(points) == 1:
            p.setPen(pen(ACCENT, 2.0, strength))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(points[0], width * 0.9, width * 0.9)
        else:
            polyline(p, points, ACCENT, width, strength)


def draw_background(p: QPainter) -> None:
    gradient = QLinearGradient(0, 0, 0, HEIGHT)
    gradient.setColorAt(0.0, BG_TOP)
    gradient.setColorAt(1.0, BG_BOTTOM)
    p.fillRect(QRectF(0, 0, WIDTH, HEIGHT), QBrush(gradient))


def draw_floor(p: QPainter, x0: float, x1: float, y: float = FLOOR_Y) -> None:
    polyline(p, (pt(x0, y), pt(x1, y)), DIM, 2.0)


def draw_panel(p: QPainter, rect: QRectF) -> None:
    """A close-up panel: a rounded frame, no caption (no words in the picture: the cues say what it shows)."""
    fill = QColor("#0f1520")
    fill.setAlphaF(0.55)
    p.setPen(pen(DIM, 1.0))
    p.setBrush(fill)
    p.drawRoundedRect(rect, 8, 8)


def draw_arc_arrow(p: QPainter, center: QPointF, radius: float, start: float, span: float, alpha: float) -> None:
    """An accent arc with an arrow head (angles in degrees, Qt convention: counter-clockwise)."""
    if alpha <= 0.01:
        return
    rect = QRectF(center.x() - radius, center.y() - radius, 2 * radius, 2 * radius)
    p.setPen(pen(ACCENT, 2.5, alpha))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawArc(rect, int(start * 16), int(span * 16))
    end = math.radians(start + span)
    tip = center + pt(math.cos(end), -math.sin(end)) * radius
    back = math.radians(start + span - math.copysign(14.0, span))
    base = center + pt(math.cos(back), -math.sin(back)) * radius
    side = pt(-(tip.y() - base.y()), tip.x() - base.x()) * 0.5
    p.setPen(Qt.PenStyle.NoPen)
    c = QColor(ACCENT)
    c.setAlphaF(alpha)
    p.setBrush(c)
    p.drawPolygon(QPolygonF([tip, base + side, base - side]))


def draw_foot_closeup(p: QPainter, rect: QRectF, pose: FootPose, shin_dir: QPointF, glow: Glow, *,
                      ball_x: float | None = None) -> None:
    """The same foot pose (facing right), drawn large in a panel; with ``ball_x``, the ball under it."""
    draw_panel(p, rect)
    big = replace(BODY, scale=4.2, line=6.5)
    k = big.scale / BODY.scale
    floor_y = rect.bottom() - 22.0
    ref = ball_x if ball_x is not None else pose.heel_x + BODY.px(BODY.heel_to_ball + BODY.toe) / 2
    foot = foot_points(replace(pose, heel_x=rect.center().x() + (pose.heel_x - ref) * k, lift=pose.lift * k),
                       big, floor_y, 1)
    marks = {"big_toe": foot.toes[:4], "heel": (foot.heel,), "arch": (foot.arch,),
             "ankle": (foot.ankle,), "sole": (foot.sole(0.5),)}
    p.save()
    p.setClipRect(rect.adjusted(1, 24, -1, -1))
    draw_floor(p, rect.left() + 8, rect.right() - 8, floor_y)
    if ball_x is not None:
        draw_ball(p, pt(rect.center().x(), floor_y - big.px(BALL_R_CM)), big.px(BALL_R_CM), 1.0)
    draw_glows(p, marks, glow, big.px(6.0))
    polyline(p, (foot.ankle, foot.ankle + shin_dir * big.px(40.0)), FIGURE, big.px(5.0))
    draw_side_foot(p, foot, FIGURE, big.line)
    draw_tints(p, marks, glow, big.line)
    p.restore()


def unit(a: QPointF, b: QPointF) -> QPointF:
    d = math.hypot(b.x() - a.x(), b.y() - a.y()) or 1.0
    return pt((b.x() - a.x()) / d, (b.y() - a.y()) / d)


def draw_top_view(p: QPainter, rect: QRectF, pelvis_yaw: float, shoulder_yaw: float, glow: Glow,
                  front_deg: float = 90.0) -> None:
    """Pelvis and shoulders seen from above. ``front_deg``: screen direction of the front (90 = down)."""
    draw_panel(p, rect)
    c = pt(rect.center().x(), rect.top() + 24 + (rect.height() - 44) / 2)
    s = (rect.height() - 50) / 40  # px per cm

    def bar(yaw: float, half_cm: float) -> tuple[QPointF, QPointF, QPointF]:
        a = math.radians(front_deg - yaw)
        forward, lateral = pt(math.cos(a), math.sin(a)), pt(-math.sin(a), math.cos(a))
        return c - lateral * s * half_cm, c + lateral * s * half_cm, forward

    left, right, forward = bar(shoulder_yaw, 21.0)
    polyline(p, (left, right), FIGURE_FAR, 9.0)
    polyline(p, (left, right), ACCENT, 9.0, glow.get("shoulders", 0.0))
    left, right, forward = bar(pelvis_yaw, 14.0)
    polyline(p, (left, right), FIGURE, 13.0)
    polyline(p, (left, right), ACCENT, 13.0, glow.get("pelvis", 0.0))
    nose = c + forward * s * 13.0
    p.setPen(pen(FIGURE, 3.0))
    p.setBrush(QColor(BG_TOP))
    p.drawEllipse(c, s * 8.0, s * 8.0)
    polyline(p, (c + forward * s * 8.0, nose), FIGURE, 3.0)


# A right footprint seen from above, pointing up the screen: x = towards the outside in foot widths,
# y = forward in foot lengths. Ellipses are (cx, cy, rx, ry).
FOOTPRINT_PADS = ((0.0, 0.15, 0.36, 0.14), (0.0, 0.68, 0.56, 0.12), (-0.30, 0.9, 0.17, 0.075),
                  (0.0, 0.885, 0.1, 0.05), (0.17, 0.86, 0.09, 0.045), (0.32, 0.825, 0.085, 0.04),
                  (0.45, 0.78, 0.08, 0.038))
FOOTPRINT_BAND = ((-0.1, 0.12), (0.34, 0.15), (0.55, 0.66), (0.0, 0.66), (0.06, 0.42))
SPIRAL_PATH = ((0.0, 0.1), (0.33, 0.42), (0.4, 0.66), (-0.33, 0.69), (-0.3, 0.91))
FOOT_WIDTH = 0.38  # of the foot's length


def footprint_point(origin: QPointF, size: float, lateral_sign: float, x: float, y: float) -> QPointF:
    return pt(origin.x() + lateral_sign * x * size * FOOT_WIDTH, origin.y() - y * size)


def draw_footprint(p: QPainter, origin: QPointF, size: float, lateral_sign: float) -> None:
    band = QPainterPath()
    band.addPolygon(QPolygonF([footprint_point(origin, size, lateral_sign, x, y) for x, y in FOOTPRINT_BAND]))
    band.closeSubpath()
    path = band
    for cx, cy, rx, ry in FOOTPRINT_PADS:
        pad = QPainterPath()
        pad.addEllipse(footprint_point(origin, size, lateral_sign, cx, cy), rx * size * FOOT_WIDTH, ry * size)
        path = path.united(pad)
    fill = QColor(FIGURE_FAR)
    fill.setAlphaF(0.45)
    p.setPen(pen(FIGURE_FAR, 1.5))
    p.setBrush(fill)
    p.drawPath(path)


def draw_footprints(p: QPainter, rect: QRectF, foot: int, u: float, alpha: float) -> None:
    """Two footprints (right foot behind, left foot ahead) and the weight dot on ``foot`` at ``u``."""
    draw_panel(p, rect)
    size = rect.height() * 0.42
    origins = (pt(rect.center().x() + 28, rect.bottom() - 14), pt(rect.center().x() - 28, rect.top() + 30 + size))
    signs = (1.0, -1.0)
    for i in range(2):
        draw_footprint(p, origins[i], size, signs[i])
    path = [footprint_point(origins[foot], size, signs[foot], x, y) for x, y in SPIRAL_PATH]
    polyline(p, path, ACCENT, 2.0, 0.35 * alpha)
    polyline(p, head_of(path, u), ACCENT, 3.0, 0.9 * alpha)
    dot = along(path, u)
    draw_glow(p, dot, 16.0, alpha)
    p.setPen(Qt.PenStyle.NoPen)
    c = QColor(ACCENT)
    c.setAlphaF(alpha)
    p.setBrush(c)
    p.drawEllipse(dot, 5.0, 5.0)


def draw_weight_dot(p: QPainter, at: QPointF, alpha: float) -> None:
    draw_glow(p, at, 20.0, alpha)
    c = QColor(ACCENT)
    c.setAlphaF(alpha)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c)
    p.drawEllipse(pt(at.x(), at.y() + 2.0), 6.0, 3.0)


def draw_measure(p: QPainter, x: float, top: float, bottom: float, alpha: float, color: QColor = ACCENT) -> None:
    """A vertical dimension line with end ticks (the value is in the cue, not in the picture)."""
    if alpha <= 0.01:
        return
    polyline(p, (pt(x, top), pt(x, bottom)), color, 2.0, alpha)
    for y in (top, bottom):
        polyline(p, (pt(x - 4, y), pt(x + 4, y)), color, 2.0, alpha)


def draw_ball(p: QPainter, center: QPointF, radius: float, alpha: float) -> None:
    if alpha <= 0.01:
        return
    c = QColor("#7fa7d9")
    c.setAlphaF(alpha)
    p.setPen(pen(QColor("#b9d0ee"), 2.0, alpha))
    p.setBrush(c)
    p.drawEllipse(center, radius, radius)


# ------------------------------------------------------------------------------------------ scenes

MAIN_X = 190.0
INSET = QRectF(384, 52, 236, 212)


def cm(x: float) -> float:
    return BODY.px(x)


def stand_pose(x: float, **changes: object) -> SidePose:
    base = SidePose(hip=pt(x, STAND_HIP_Y), near_foot=FootPose(x - cm(5.5)), far_foot=FootPose(x - cm(5.5) + 4))
    return replace(base, **changes)  # type: ignore[arg-type]


BIG_TOE_CUES = cues(
    (0, 5, "Big toe and hip"),
    (5, 11, "Lift the big toe; the heel stays down"),
    (11, 18, "Let the heel rise: the toes roll up"),
    (18, 25, "As the heel rises, the hip opens and extends"),
    (25, 32, "Toe, heel and hip move together. Slowly."),
)


def scene_big_toe_hip(p: QPainter, t: float) -> None:
    toe = cycle(t, 5, 11, 3.0)
    rise = cycle(t, 11, 32, 3.5)
    back_heel = MAIN_X - cm(42)
    near = FootPose(back_heel, pitch=32.0 * rise, toe_lift=30.0 * toe)
    far = FootPose(MAIN_X + cm(8))
    hip = pt(MAIN_X - cm(12) + cm(9) * rise, STAND_HIP_Y)
    pose = SidePose(hip, near, far, spine=(3.0, 1.0, 0.0), near_arm=(14.0 + 12.0 * rise, 16.0),
                    far_arm=(-8.0 - 8.0 * rise, 10.0))
    j = solve_side(pose)
    glow = {
        "big_toe": max(toe, rise),
        "heel": rise * window(t, 11, 18),
        "hip": rise * window(t, 18, 32),
        "thigh": rise * window(t, 18, 32),
    }
    draw_floor(p, 20, 370)
    draw_side_figure(p, j, glow)
    draw_arc_arrow(p, j.hip, cm(36), 250, -34, 0.9 * window(t, 18, 32))
    draw_foot_closeup(p, INSET, near, unit(j.near_foot.ankle, j.near_knee), glow)


FOOT_ROLL_CUES = cues(
    (0, 5, "Rolling the foot, turning the spine"),
    (5, 11, "Roll one foot in: arch lowers, knee follows"),
    (11, 17, "Roll it out: weight to the outer edge"),
    (17, 24, "Feet roll opposite ways: the pelvis turns"),
    (24, 30, "The spine follows, one level at a time"),
    (30, 34, "Small and slow, side to side"),
)


def scene_foot_roll_spine(p: QPainter, t: float) -> None:
    roll_in = cycle(t, 5, 11, 3.0)
    roll_out = cycle(t, 11, 17, 3.0)
    both = math.sin(2 * math.pi * (t - 17) / 6.5) * (1.0 - ramp(t, 30.5, 34)) if t >= 17 else 0.0
    roll0 = roll_in - roll_out + both
    roll1 = -both
    pose = FrontPose(
        MAIN_X + 20, pelvis_yaw=6.0 * (roll_in - roll_out) + 18.0 * both, shoulder_yaw=4.0 * roll0 + 32.0 * both,
        foot_roll=(roll0, roll1), knee_in=(4.0 * roll0, 4.0 * roll1),
    )
    pair = window(t, 17, 24)
    glow = {
        "arch0": max(roll_in, max(0.0, both) * pair),
        "knee0": roll_in,
        "outer0": max(roll_out, max(0.0, -both) * pair),
        "arch1": max(0.0, -both) * pair,
        "outer1": max(0.0, both) * pair,
        "pelvis": abs(both) * pair,
        "spine": abs(both) * window(t, 24, 34),
    }
    draw_floor(p, 40, 370)
    draw_front_figure(p, solve_front(pose), glow)
    top_glow = {"pelvis": glow["pelvis"], "shoulders": glow["spine"]}
    draw_top_view(p, QRectF(384, 52, 236, 118), pose.pelvis_yaw, pose.shoulder_yaw, top_glow)
    draw_feet_closeup(p, QRectF(384, 176, 236, 96), pose, glow)


@dataclass(frozen=True)
class StepState:
    progress: float  # 0 = weight back, 1 = weight forward
    foot: int  # 0 = back foot carries the weight dot, 1 = front foot
    u: float  # position of the weight along the foot's spiral path
    back_pitch: float
    front_pitch: float
    dot: float  # visibility of the weight dot


def step_state(phase: float) -> StepState:
    """A forward rock through one step, then back. ``phase`` runs 0..1 over the cycle."""
    if phase < 0.5:  # the back foot: heel -> outer edge -> ball -> big toe
        u = phase / 0.5
        return StepState(0.55 * smooth(phase / 0.5), 0, u, 30.0 * ramp(phase, 0.3, 0.5), -12.0, 1.0)
    if phase < 0.82:  # the front foot takes over
        u = (phase - 0.5) / 0.32
        return StepState(lerp(0.55, 1.0, smooth(u)), 1, u, 30.0 + 6.0 * smooth(u), -12.0 * (1 - ramp(u, 0, 0.35)),
                         1.0)
    back = ramp(phase, 0.82, 1.0)  # rock back, ready to start again
    return StepState(1.0 - back, 1, 1.0, 36.0 * (1 - back), -12.0 * back, 1.0 - ramp(phase, 0.82, 0.88))


def step_pose(s: StepState, x: float) -> SidePose:
    """Split stance, the near (right) foot behind; the arms swing opposite to the legs."""
    back_heel, front_heel = x - cm(26), x + cm(14)
    hip_x = lerp(back_heel + cm(17), front_heel + cm(5), s.progress)
    return SidePose(
        pt(hip_x, STAND_HIP_Y), FootPose(back_heel, pitch=s.back_pitch), FootPose(front_heel, pitch=s.front_pitch),
        spine=(2.0, 0.0, -1.0), near_arm=(8.0 - 22.0 * s.progress, 12.0), far_arm=(-10.0 + 22.0 * s.progress, 12.0),
    )


def draw_step(p: QPainter, s: StepState, pose: SidePose, glow: Glow) -> SideJoints:
    j = solve_side(pose)
    draw_floor(p, 20, 370)
    foot = j.near_foot if s.foot == 0 else j.far_foot
    draw_weight_dot(p, foot.sole(clamp01(s.u * 1.02)), s.dot)
    draw_side_figure(p, j, glow)
    return j


WEIGHT_CUES = cues(
    (0, 5, "The weight spiral"),
    (5, 8.5, "From the back heel along the outer edge"),
    (8.5, 12, "Across the ball to the big toe; the heel lifts"),
    (12, 16.5, "The front heel takes it over: heel, ball, toes"),
    (16.5, 19, "Rock back and start again"),
    (19, 33, "Heel, outer edge, ball, big toe, next foot"),
)


def scene_weight_spiral(p: QPainter, t: float) -> None:
    s = step_state(((t - 5) % 14) / 14 if t >= 5 else 0.0)
    draw_step(p, s, step_pose(s, MAIN_X), {"big_toe": ramp(s.u, 0.75, 0.95) if s.foot == 0 and s.dot > 0.5 else 0.0})
    draw_footprints(p, INSET, s.foot, s.u, s.dot)  # the back foot is the near one: the figure's right foot


TOE_TOUCH_CUES = cues(
    (0, 4, "Toe-touch test"),
    (4, 12, "Fold forward, knees straight: note the reach (demo: 14 cm)"),
    (12, 18, "Roll the sole slowly over a ball"),
    (18, 24, "Heel, arch, ball of the foot: take your time"),
    (24, 32, "Fold again and compare the reach (demo: 5 cm)"),
    (32, 36, "Demo values: your numbers will differ"),
)
REACH_BEFORE_CM, REACH_AFTER_CM = 14.0, 5.0


def fold_pose(x: float, amount: float, depth: float) -> SidePose:
    f = amount
    return stand_pose(
        x, hip=pt(x - cm(13) * f, STAND_HIP_Y), spine=(0.62 * depth * f, 0.85 * depth * f, depth * f),
        neck=(depth + 18.0) * f, pelvis_tilt=0.55 * depth * f,
        near_arm=(lerp(6.0, 2.0, f), lerp(10.0, 0.0, f)), far_arm=(lerp(-4.0, -1.0, f), lerp(8.0, 0.0, f)),
    )


def reach_cm(j: SideJoints) -> float:
    return (FLOOR_Y - j.near_hand.y()) / BODY.scale


@cache
def depth_for_reach(target_cm: float) -> float:
    """Bisection: the trunk lean (deg) at which the fingertips stop ``target_cm`` above the floor."""
    lo, hi = 60.0, 140.0
    for _ in range(40):
        mid = (lo + hi) / 2
        if reach_cm(solve_side(fold_pose(MAIN_X, 1.0, mid))) > target_cm:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def scene_toe_touch(p: QPainter, t: float) -> None:
    first = ramp(t, 4, 7) * (1 - ramp(t, 10, 12))  # fold down, hold for the measure, come up
    second = ramp(t, 24, 27) * (1 - ramp(t, 30, 32))
    depth = depth_for_reach(REACH_BEFORE_CM if t < 18 else REACH_AFTER_CM)
    on_ball = window(t, 12.2, 24, 1.2)
    ball_x = MAIN_X + cm(20)
    roll_u = 0.45 + 0.35 * math.sin(2 * math.pi * (t - 13.4) / 3.3) if on_ball > 0 else 0.45
    pose = fold_pose(MAIN_X, first + second, depth)
    heel_x = lerp(pose.near_foot.heel_x, ball_x - cm(BODY.heel_to_ball) * roll_u, on_ball)
    near = FootPose(heel_x, lift=on_ball * cm(2 * BALL_R_CM))
    j = solve_side(replace(pose, near_foot=near))
    ball_alpha = ramp(t, 11.8, 12.4) * (1 - ramp(t, 24, 24.6))
    draw_floor(p, 20, 370)
    draw_ball(p, pt(ball_x, FLOOR_Y - cm(BALL_R_CM)), cm(BALL_R_CM), ball_alpha)
    reach = max(first, second)
    draw_side_figure(p, j, {"sole": on_ball, "hand": ramp(reach, 0.95, 1.0)})
    if second > 0 and t > 24:
        before_y = FLOOR_Y - cm(REACH_BEFORE_CM)
        polyline(p, (pt(j.near_hand.x() - 30, before_y), pt(j.near_hand.x() + 30, before_y)), FIGURE_FAR, 1.5, second)
    draw_measure(p, j.near_hand.x() + 18, j.near_hand.y(), FLOOR_Y, ramp(reach, 0.97, 1.0))
    draw_results(p, QRectF(384, 52, 236, 96), t)
    if ball_alpha > 0:
        p.setOpacity(ball_alpha)
        shin = unit(j.near_foot.ankle, j.near_knee)
        closeup = QRectF(384, 156, 236, 116)
        draw_foot_closeup(p, closeup, near, shin, {"sole": on_ball}, ball_x=ball_x)
        p.setOpacity(1.0)


def draw_results(p: QPainter, rect: QRectF, t: float) -> None:
    """Fingertips-to-floor before (upper bar) and after (lower bar), drawn to scale; the cues give the numbers."""
    draw_panel(p, rect)
    rows = ((REACH_BEFORE_CM, ramp(t, 7.2, 7.7)), (REACH_AFTER_CM, ramp(t, 27.2, 27.7)))
    per_cm = (rect.width() - 40) / 20.0
    for i, (value, alpha) in enumerate(rows):
        y = rect.top() + 32 + i * 32
        polyline(p, (pt(rect.left() + 20, y - 8), pt(rect.left() + 20, y + 8)), FIGURE_FAR, 2.0)
        polyline(p, (pt(rect.left() + 20, y), pt(rect.right() - 20, y)), DIM, 1.0)
        if alpha > 0:
            polyline(p, (pt(rect.left() + 20, y), pt(rect.left() + 20 + value * per_cm, y)), ACCENT, 8.0, alpha)


# -------------------------------------------------------------------------------------- paid parts

ARCH_CUES = cues(
    (0, 5, "Arch and ankle: the foot's spring"),
    (5, 12, "Knees forward over the toes: ankles bend"),
    (12, 19, "The arch lowers a little: the spring loads"),
    (19, 26, "Rise onto the balls of the feet: arch lifts"),
    (26, 36, "Bend, then rise: a soft, springy rhythm"),
)


def scene_arch_ankle(p: QPainter, t: float) -> None:
    wave = math.sin(2 * math.pi * (t - 26) / 5) if t >= 26 else 0.0
    bend = cycle(t, 5, 19, 3.5) + max(0.0, wave)
    rise = cycle(t, 19, 26, 3.5) + max(0.0, -wave)
    arch = 0.6 * bend - 0.35 * rise
    hip = pt(MAIN_X + cm(6) * bend, STAND_HIP_Y + cm(9) * bend - cm(6) * rise)
    heel = MAIN_X - cm(5.5)
    pose = SidePose(hip, FootPose(heel, pitch=26 * rise, arch_drop=arch), FootPose(heel + 4, pitch=26 * rise),
                    spine=(4.0 * bend, 2.0 * bend, 0.0))
    j = solve_side(pose)
    glow = {"ankle": bend * window(t, 5, 12), "knee": bend * window(t, 5, 12),
            "arch": max(bend * window(t, 12, 19), rise, bend * window(t, 26, 36)), "big_toe": rise}
    draw_floor(p, 20, 370)
    draw_side_figure(p, j, glow)
    draw_foot_closeup(p, INSET, pose.near_foot, unit(j.near_foot.ankle, j.near_knee), glow)


KNEE_CUES = cues(
    (0, 5, "Knee and hip line over the foot"),
    (5, 12, "Bend: each knee over the second toe"),
    (12, 19, "Hip, knee and second toe stay on one line"),
    (19, 26, "If a knee drifts in, the arch drops"),
    (26, 36, "Back over the second toe: the arch lifts"),
)


def scene_knee_hip_line(p: QPainter, t: float) -> None:
    squat = cycle(t, 5, 36, 3.5)
    drift = squat * window(t, 19, 26)
    pose = FrontPose(WIDTH / 2 - 20, squat=15.0 * squat, foot_roll=(drift, 0.0), knee_in=(7.0 * drift, 0.0))
    j = solve_front(pose)
    glow = {"knee0": max(squat * window(t, 12, 19), drift), "knee1": squat * window(t, 12, 19),
            "arch0": max(drift, squat * window(t, 26, 36)), "toe0": squat * window(t, 5, 19),
            "toe1": squat * window(t, 5, 19)}
    draw_floor(p, 120, 520)
    draw_front_figure(p, j, glow)
    dash = QPen(ACCENT, 2.0, Qt.PenStyle.DashLine)
    p.setOpacity(0.85 * window(t, 5, 36))
    p.setPen(dash)
    for leg in j.legs:
        p.drawLine(leg.hip, leg.second_toe)
    p.setOpacity(1.0)


PELVIS_CUES = cues(
    (0, 5, "Pelvis and sacrum in the step"),
    (5, 12, "Step forward: the pelvis turns with the leg"),
    (12, 19, "The sacrum nods between the pelvic bones"),
    (19, 26, "The shoulders turn the other way"),
    (26, 33, "Rock back: everything unwinds"),
    (33, 40, "Let the step move the pelvis; don't force it"),
)


def scene_pelvis_sacrum(p: QPainter, t: float) -> None:
    s = step_state(((t - 5) % 7) / 7 if t >= 5 else 0.0)
    swing = s.progress - 0.5
    pose = replace(step_pose(s, MAIN_X), pelvis_tilt=10.0 * swing, sacrum_nod=14.0 * swing)
    glow = {"pelvis": max(window(t, 5, 19), window(t, 26, 40)), "hip": window(t, 5, 12)}
    j = draw_step(p, replace(s, dot=0.0), pose, glow)
    top_glow = {"pelvis": glow["pelvis"], "shoulders": window(t, 19, 26)}
    draw_top_view(p, QRectF(384, 52, 236, 118), -16.0 * swing, 14.0 * swing, top_glow, front_deg=0.0)
    draw_pelvis_closeup(p, QRectF(384, 176, 236, 96), j, window(t, 12, 19))


def draw_pelvis_closeup(p: QPainter, rect: QRectF, j: SideJoints, sacrum_glow: float) -> None:
    """The pelvis of a side-view figure, drawn large with stubs of the low back and the thighs."""
    draw_panel(p, rect)
    big = replace(BODY, scale=3.2, line=8.0)
    center = pt(rect.center().x(), rect.center().y() + 8)
    hip = center + (j.hip - j.pelvis) * (big.scale / BODY.scale)
    p.save()
    p.setClipRect(rect.adjusted(1, 22, -1, -1))
    for knee, color in ((j.far_knee, FIGURE_FAR), (j.near_knee, FIGURE)):
        polyline(p, (hip, hip + unit(j.hip, knee) * big.px(30.0)), color, big.line)
    polyline(p, (center, center + unit(j.spine[0], j.spine[1]) * big.px(30.0)), FIGURE, big.line)
    sacrum = QColor(DIM)
    if sacrum_glow > 0.01:
        draw_glow(p, center + pt(-big.px(7.0), 0), big.px(9.0), sacrum_glow)
        sacrum = ACCENT
    draw_side_pelvis(p, center, j.pose, FIGURE, big, sacrum)
    p.restore()


WAVE_CUES = cues(
    (0, 5, "Spine wave from the feet up"),
    (5, 12, "Press the feet down; the knees soften"),
    (12, 19, "The pelvis tips, then the low back follows"),
    (19, 26, "The wave climbs the spine, level by level"),
    (26, 33, "It reaches the head and fades out"),
    (33, 40, "Let it ripple up again, slowly"),
)
WAVE_LEVELS = ("feet", "knees", "pelvis", "low back", "mid back", "upper back", "neck and head")


def wave_levels(t: float) -> list[float]:
    if t < 5:
        return [0.0] * len(WAVE_LEVELS)
    phase = ((t - 5) % 7) / 7
    return [bump((phase - 0.04 - i * 0.085) / 0.34) for i in range(len(WAVE_LEVELS))]


def scene_spine_wave(p: QPainter, t: float) -> None:
    b = wave_levels(t)
    x = MAIN_X + 20
    hip = pt(x + cm(4) * b[1] + cm(3) * b[2], STAND_HIP_Y + cm(7) * b[1])
    pose = stand_pose(x, hip=hip, pelvis_tilt=-16.0 * b[2], spine=(20.0 * b[3], 18.0 * b[4], 15.0 * b[5]),
                      neck=24.0 * b[6], near_arm=(6.0 + 8.0 * b[4], 10.0 + 10 * b[5]))
    glow = {"sole": b[0], "knee": b[1], "pelvis": b[2], "spine0": b[3], "spine1": b[4], "spine2": b[5],
            "neck": b[6]}
    draw_floor(p, 20, 370)
    draw_side_figure(p, solve_side(pose), glow)
    draw_levels(p, QRectF(420, 60, 200, 204), b)


def draw_levels(p: QPainter, rect: QRectF, strengths: Sequence[float]) -> None:
    """A column of dots, feet at the bottom, head at the top, lit where the wave is."""
    draw_panel(p, rect)
    x = rect.center().x()
    for i, s in enumerate(reversed(strengths)):
        y = rect.top() + 26 + i * 26
        draw_glow(p, pt(x, y), 12.0, s)
        p.setPen(pen(ACCENT if s > 0.5 else FIGURE_FAR, 1.5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(pt(x, y), 5.0, 5.0)


# ----------------------------------------------------------------------------------------- catalogue

FREE_CLIPS = (
    Clip("01-big-toe-hip", "Big toe and hip", 32, BIG_TOE_CUES, scene_big_toe_hip),
    Clip("02-foot-roll-spine", "Rolling the foot, turning the spine", 34, FOOT_ROLL_CUES, scene_foot_roll_spine),
    Clip("03-weight-spiral", "The weight spiral", 33, WEIGHT_CUES, scene_weight_spiral),
    Clip("04-toe-touch-test", "Toe-touch test", 36, TOE_TOUCH_CUES, scene_toe_touch),
)
PAID_CLIPS = (
    Clip("p1-arch-and-ankle", "Arch and ankle: the foot's spring", 36, ARCH_CUES, scene_arch_ankle),
    Clip("p2-knee-hip-line", "Knee and hip line over the foot", 36, KNEE_CUES, scene_knee_hip_line),
    Clip("p3-pelvis-and-sacrum", "Pelvis and sacrum in the step", 40, PELVIS_CUES, scene_pelvis_sacrum),
    Clip("p4-spine-wave", "Spine wave from the feet up", 40, WAVE_CUES, scene_spine_wave),
)


# ------------------------------------------------------------------------------------------ output


def vtt_time(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def write_vtt(clip: Clip, path: Path) -> None:
    lines = ["WEBVTT", ""]
    for i, cue in enumerate(clip.cues, start=1):
        lines += [str(i), f"{vtt_time(cue.start_s)} --> {vtt_time(cue.end_s)}", cue.text, ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def frame_image(clip: Clip, t: float) -> QImage:
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_RGB32)
    p = QPainter(image)
    try:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        draw_background(p)
        clip.scene(p, t)
    finally:
        p.end()
    return image


def render_frame(clip: Clip, t: float) -> bytes:
    rgb = frame_image(clip, t).convertToFormat(QImage.Format.Format_RGB888)
    data, stride = bytes(rgb.constBits()), rgb.bytesPerLine()
    if stride == WIDTH * 3:
        return data[: WIDTH * HEIGHT * 3]
    return b"".join(data[y * stride: y * stride + WIDTH * 3] for y in range(HEIGHT))


def ffmpeg_command(path: Path) -> list[str]:
    return [
        "ffmpeg", "-v", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{WIDTH}x{HEIGHT}", "-framerate", str(FPS), "-i", "-",
        "-an", "-c:v", "libx264", "-preset", "slow", "-crf", "30", "-tune", "animation",
        "-g", str(FPS), "-keyint_min", str(FPS), "-sc_threshold", "0", "-threads", "2",
        "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-map_metadata", "-1",
        "-fflags", "+bitexact", "-flags:v", "+bitexact", str(path),
    ]


def render_clip(clip: Clip, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{clip.stem}.mp4"
    proc = subprocess.Popen(ffmpeg_command(path), stdin=subprocess.PIPE)
    assert proc.stdin is not None
    try:
        for i in range(clip.frame_count):
            proc.stdin.write(render_frame(clip, i / FPS))
    finally:
        proc.stdin.close()
    if proc.wait() != 0:
        raise SystemExit(f"ffmpeg failed for {path}")
    write_vtt(clip, path.with_suffix(".vtt"))
    print(f"{path}  {path.stat().st_size:,} bytes  {clip.duration_s} s")
    return path


def render_poster(clip: Clip, path: Path) -> Path:
    """The session's card picture: one frame of ``clip`` at POSTER_AT_S, as a PNG."""
    if not frame_image(clip, POSTER_AT_S).save(str(path), "PNG"):
        raise SystemExit(f"could not write {path}")
    print(f"{path}  {path.stat().st_size:,} bytes  poster")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=here, help="media folder (default: %(default)s)")
    parser.add_argument("--paid-out", type=Path, help="also render the paid parts' plaintext here (not in media/)")
    args = parser.parse_args(argv)
    if args.paid_out is not None and args.paid_out.resolve().is_relative_to(here):
        parser.error("--paid-out must be outside media/: the paid plaintext must never be committed")
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (QPainter needs it)
    for clip in FREE_CLIPS:
        render_clip(clip, args.out / SESSION_DIR)
    render_poster(FREE_CLIPS[0], args.out / SESSION_DIR / POSTER_NAME)
    if args.paid_out is not None:
        for clip in PAID_CLIPS:
            render_clip(clip, args.paid_out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
