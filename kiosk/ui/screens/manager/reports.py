"""Reports: activity per day and top items as charts, stock, expiry and fulfilment as tables.

All figures come from kiosk.db.reports in one job; every report exports to
CSV through a job (the file dialog only picks the path). Lines in the
activity chart differ in dash pattern as well as colour, and every chart has
a table or a legend beside it, so no figure depends on telling colours apart.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui import labels, manager_jobs
from kiosk.ui.errors import Failure
from kiosk.ui.i18n import language
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.manager.common import fill, table
from kiosk.ui.services import Services
from kiosk.ui.stationclock import on_station_clock
from kiosk.ui.widgets import Message, heading, hint

PERIODS = (7, 30, 90, 365)
SERIES_STYLE = (  # colour-blind-safe colours (Okabe-Ito) and a dash pattern each
    ("#0072B2", Qt.PenStyle.SolidLine),
    ("#E69F00", Qt.PenStyle.DashLine),
    ("#009E73", Qt.PenStyle.DotLine),
    ("#D55E00", Qt.PenStyle.DashDotLine),
)


def _chart_view() -> QChartView:
    chart = QChart()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(220)
    return view


def _whole_numbers(axis: QValueAxis, highest: float) -> None:
    """A value axis from 0 with ticks on whole numbers (units are never fractions)."""
    top = max(4.0, highest * 1.15)
    raw = top / 5
    power = 10 ** max(0, math.floor(math.log10(raw)))
    step = next(int(n * power) for n in (1, 2, 5, 10) if n * power >= raw)  # 1, 2, 5, 10, 20…
    axis.setLabelFormat("%d")
    axis.setRange(0, step * math.ceil(top / step))
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(step)


def _clear(chart: QChart) -> None:
    chart.removeAllSeries()
    for axis in chart.axes():
        chart.removeAxis(axis)


class ReportsScreen(Screen):
    key = "reports"
    topics = ("stock", "requests")

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.heading = heading()
        self.period_label = QLabel()
        self.period = QComboBox()
        for days in PERIODS:
            self.period.addItem("", days)
        self.period.setCurrentIndex(PERIODS.index(30))
        self.reload = QPushButton()
        self.summary = QLabel()
        self.summary.setObjectName("heading")
        self.summary.setWordWrap(True)
        self.summary_hint = hint()
        self.export_fulfilment = QPushButton()
        self.message = Message()

        self.tabs = QTabWidget()
        # activity per day
        self.activity_chart = _chart_view()
        self.activity_table = table(5, 0)
        self.export_activity = QPushButton()
        self.activity_tab = self._tab(self.activity_chart, self.activity_table,
                                      [self.export_activity], chart_stretch=3)
        # top items
        self.requested_chart = _chart_view()
        self.donated_chart = _chart_view()
        self.export_requested = QPushButton()
        self.export_donated = QPushButton()
        charts = QWidget()
        side = QHBoxLayout(charts)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.requested_chart)
        side.addWidget(self.donated_chart)
        self.top_tab = self._tab(charts, None, [self.export_requested, self.export_donated])
        # stock and expiring
        self.stock_table = table(7, 0)
        self.export_stock = QPushButton()
        self.stock_tab = self._tab(None, self.stock_table, [self.export_stock])
        self.expiring_table = table(6, 1)
        self.export_expiring = QPushButton()
        self.expiring_tab = self._tab(None, self.expiring_table, [self.export_expiring])
        for tab in (self.activity_tab, self.top_tab, self.stock_tab, self.expiring_tab):
            self.tabs.addTab(tab, "")

        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.period_label)
        top.addWidget(self.period)
        top.addWidget(self.reload)
        summary_row = QHBoxLayout()
        summary_row.addWidget(self.summary, 1)
        summary_row.addWidget(self.export_fulfilment)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(summary_row)
        layout.addWidget(self.summary_hint)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)

        self.period.currentIndexChanged.connect(self.refresh)
        self.reload.clicked.connect(self.refresh)
        self.exports = {
            "activity": self.export_activity, "top_requested": self.export_requested,
            "top_donated": self.export_donated, "stock": self.export_stock,
            "expiring": self.export_expiring, "fulfilment": self.export_fulfilment,
        }
        for report, button in self.exports.items():
            button.clicked.connect(lambda _=False, report=report: self.choose_export(report))
        self.bundle: manager_jobs.ReportBundle | None = None
        self.retranslate()

    @staticmethod
    def _tab(chart: QWidget | None, rows: QWidget | None, buttons: list[QPushButton], *,
             chart_stretch: int = 1) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        if chart is not None:
            layout.addWidget(chart, chart_stretch)
        if rows is not None:
            layout.addWidget(rows, 2)
        row = QHBoxLayout()
        row.addStretch(1)
        for button in buttons:
            row.addWidget(button)
        layout.addLayout(row)
        return tab

    def title(self) -> str:
        return self.tr("Reports")

    @property
    def days(self) -> int:
        return int(self.period.currentData())

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Reports"))
        self.period_label.setText(self.tr("Period"))
        for index, days in enumerate(PERIODS):
            self.period.setItemText(index, self.tr("Last {days} days").format(days=days))
        self.reload.setText(self.tr("Refresh"))
        self.summary_hint.setText(self.tr(
            "Fulfilment: of the requests made in the period, the share collected so far. "
            "Wait: from the request to the hand-over. Days are UTC days."))
        self.tabs.setTabText(0, self.tr("Activity per day"))
        self.tabs.setTabText(1, self.tr("Top items"))
        self.tabs.setTabText(2, self.tr("Stock by item"))
        self.tabs.setTabText(3, self.tr("Expiring in 30 days"))
        self.export_activity.setText(self.tr("Export activity (CSV)…"))
        self.export_requested.setText(self.tr("Export top requested (CSV)…"))
        self.export_donated.setText(self.tr("Export top donated (CSV)…"))
        self.export_stock.setText(self.tr("Export stock (CSV)…"))
        self.export_expiring.setText(self.tr("Export expiring (CSV)…"))
        self.export_fulfilment.setText(self.tr("Export fulfilment (CSV)…"))
        self.activity_table.setHorizontalHeaderLabels([
            self.tr("Day"), self.tr("Received"), self.tr("Requested"), self.tr("Collected"),
            self.tr("Written off")])
        self.stock_table.setHorizontalHeaderLabels([
            self.tr("Medicine"), self.tr("On hand"), self.tr("Reserved"), self.tr("Available"),
            self.tr("Expired or recalled"), self.tr("Earliest expiry"),
            self.tr("Expiring in 30 days")])
        self.expiring_table.setHorizontalHeaderLabels([
            self.tr("Lot"), self.tr("Medicine"), self.tr("Expiry"), self.tr("Days left"),
            self.tr("On hand"), self.tr("Reserved")])
        self._show()

    # -- loading ------------------------------------------------------------------------

    def refresh(self) -> None:
        self.services.call(manager_jobs.reports, self.days, on_done=self._loaded,
                           on_error=self.message.failure)

    def _loaded(self, bundle: manager_jobs.ReportBundle) -> None:
        if bundle.days != self.days:
            return  # the period changed meanwhile; its own answer follows
        self.bundle = bundle
        self._show()

    def _name(self, item_id: str) -> str:
        return labels.item_name(self.services.catalog, item_id)

    def _show(self) -> None:
        bundle = self.bundle
        if bundle is None:
            self.summary.setText(self.tr("Loading…"))
            return
        self._show_summary(bundle.fulfilment)
        self._show_activity(bundle)
        self._show_top(self.requested_chart.chart(), bundle.top_requested,
                       self.tr("Top requested (units)"), "#0072B2")
        self._show_top(self.donated_chart.chart(), bundle.top_donated,
                       self.tr("Top donated (units)"), "#009E73")
        fill(self.stock_table, [
            [self._name(s.item_id), s.on_hand, s.reserved, s.available, s.expired,
             s.earliest_expiry.isoformat() if s.earliest_expiry else "—", s.expiring_soon]
            for s in bundle.stock], numeric=range(1, 7))
        fill(self.expiring_table, [
            [e.lot_id, self._name(e.item_id), e.expiry.isoformat(), e.days_left, e.on_hand,
             e.reserved] for e in bundle.expiring], numeric=(0, 3, 4, 5))

    def _show_summary(self, result: Any) -> None:
        rate = "—" if result.rate_percent is None else f"{result.rate_percent:g} %"
        wait = "—" if result.median_wait_hours is None else self.tr("{hours} h").format(
            hours=f"{result.median_wait_hours:g}")
        self.summary.setText(self.tr(
            "Fulfilment {rate} · {requests} requests, {collected} collected, {cancelled} "
            "cancelled, {waiting} waiting · median wait {wait}").format(
            rate=rate, requests=result.requests, collected=result.collected,
            cancelled=result.cancelled, waiting=result.waiting, wait=wait))

    def _show_activity(self, bundle: manager_jobs.ReportBundle) -> None:
        rows = bundle.activity
        fill(self.activity_table, [
            [a.day.isoformat(), a.received, a.requested, a.collected, a.written_off]
            for a in reversed(rows)], numeric=(1, 2, 3, 4))
        chart = self.activity_chart.chart()
        _clear(chart)
        chart.setTitle(self.tr("Units per day"))
        names = (self.tr("Received"), self.tr("Requested"), self.tr("Collected"),
                 self.tr("Written off"))
        x_axis = QDateTimeAxis()
        x_axis.setFormat("MM-dd")
        x_axis.setTickCount(min(8, max(2, len(rows))))
        y_axis = QValueAxis()
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        highest = 0
        for number, name in enumerate(names):
            series = QLineSeries()
            series.setName(name)
            colour, dash = SERIES_STYLE[number]
            pen = QPen(QColor(colour))
            pen.setWidth(2)
            pen.setStyle(dash)
            series.setPen(pen)
            for day in rows:
                value = (day.received, day.requested, day.collected, day.written_off)[number]
                highest = max(highest, value)
                moment = datetime.combine(day.day, time(12), tzinfo=UTC)
                series.append(moment.timestamp() * 1000, value)
            chart.addSeries(series)
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)
        _whole_numbers(y_axis, highest)

    def _show_top(self, chart: QChart, items: tuple[Any, ...], title: str, colour: str) -> None:
        _clear(chart)
        chart.setTitle(title)
        chart.legend().setVisible(False)
        if not items:
            chart.setTitle(title + " — " + self.tr("none in this period"))
            return
        ordered = list(reversed(items))  # the biggest at the top
        bars = QBarSet(title)
        bars.setColor(QColor(colour))
        bars.setLabelColor(QColor("#202124"))
        for item in ordered:
            bars.append(item.units)
        series = QHorizontalBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
        chart.addSeries(series)
        names = QBarCategoryAxis()
        names.append([self._short(item.item_id) for item in ordered])
        values = QValueAxis()
        _whole_numbers(values, max(item.units for item in items))
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(names)
        series.attachAxis(values)

    def _short(self, item_id: str) -> str:
        name = self._name(item_id)
        limit = 14 if language() == "zh" else 26
        return name if len(name) <= limit else name[:limit - 1] + "…"

    # -- exporting ------------------------------------------------------------------------

    def choose_export(self, report: str) -> None:
        stamp = on_station_clock(datetime.now(UTC)).strftime("%Y%m%d")  # the station's day
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export a report"), f"medshare-{report}-{stamp}.csv",
            self.tr("CSV files (*.csv)"))
        if path:
            self.export_to(report, Path(path))

    def export_to(self, report: str, path: Path) -> None:
        self.services.call(manager_jobs.export_report, report, Path(path), self.days,
                           on_done=self._exported, on_error=self._export_failed)

    def _exported(self, result: tuple[Path, int]) -> None:
        path, rows = result
        self.message.ok(self.tr("Saved {rows} rows to {path}.").format(rows=rows, path=path))

    def _export_failed(self, failure: Failure) -> None:
        self.message.failure(failure)
