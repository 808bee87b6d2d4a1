// Build-time helper: renders an SVG icon into square PNGs, so the packaged PNG sizes always
// come from the one SVG we draw.
//   anthology_render_icon ICON.svg OUTDIR NAME SIZE...   ->  OUTDIR/<SIZE>x<SIZE>/NAME.png

#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
#include <QTextStream>

int main(int argc, char **argv)
{
    // No windows: the offscreen platform needs no display at build time.
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    const QStringList args = QGuiApplication::arguments();
    QTextStream err(stderr);
    if (args.size() < 5) {
        err << "usage: anthology_render_icon ICON.svg OUTDIR NAME SIZE...\n";
        return 1;
    }
    QSvgRenderer renderer(args.at(1));
    if (!renderer.isValid()) {
        err << "cannot read the SVG icon " << args.at(1) << '\n';
        return 1;
    }
    for (qsizetype i = 4; i < args.size(); ++i) {
        bool ok = false;
        const int size = args.at(i).toInt(&ok);
        if (!ok || size < 8 || size > 1024) {
            err << "expected a size between 8 and 1024, got '" << args.at(i) << "'\n";
            return 1;
        }
        QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        renderer.render(&painter);
        painter.end();
        const QString dir = QDir(args.at(2)).filePath(QStringLiteral("%1x%1").arg(size));
        const QString file = QDir(dir).filePath(args.at(3) + QStringLiteral(".png"));
        if (!QDir().mkpath(dir) || !image.save(file, "PNG")) {
            err << "cannot write " << file << '\n';
            return 1;
        }
    }
    return 0;
}
