package dev.voxgate.bench.suite;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The capacity ramp as a PNG: p95 end_stream→close and first-partial latency against concurrent real-time sessions. */
public final class CapacityChart {
    private CapacityChart() {
    }

    public record Point(int sessions, double finalizeP95Ms, double firstPartialP95Ms) {
    }

    public static void write(Path png, String engine, List<Point> points, double limitMs,
            double ceilingSessions) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500)
                .title("Voxgate capacity (" + engine + "): latency vs concurrent real-time sessions")
                .xAxisTitle("concurrent real-time sessions").yAxisTitle("milliseconds (p95)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        double[] x = points.stream().mapToDouble(Point::sessions).toArray();
        chart.addSeries("end_stream → last final", x, points.stream().mapToDouble(Point::finalizeP95Ms).toArray())
                .setMarker(SeriesMarkers.CIRCLE);
        double[] partial = points.stream().mapToDouble(Point::firstPartialP95Ms).toArray();
        if (Arrays.stream(partial).anyMatch(Double::isFinite)) { // an engine without partials (Whisper) has none
            chart.addSeries("speech onset → first partial", x, partial).setMarker(SeriesMarkers.DIAMOND);
        }
        double maxX = Math.max(x.length == 0 ? 1 : x[x.length - 1], ceilingSessions);
        chart.addSeries("limit " + (int) limitMs + " ms", new double[] {0, maxX}, new double[] {limitMs, limitMs})
                .setMarker(SeriesMarkers.NONE);
        if (Double.isFinite(ceilingSessions)) {
            chart.addSeries("raw ceiling (cores / RTF)", new double[] {ceilingSessions, ceilingSessions},
                    new double[] {0, limitMs * 1.5})
                    .setMarker(SeriesMarkers.NONE);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
