#include "ResultsFixture.h"
#include "TempProject.h"

#include "charts/ChartStyle.h"
#include "charts/DistributionChart.h"
#include "charts/FigureDataLoader.h"
#include "charts/FigureExporter.h"
#include "charts/ResultsTables.h"
#include "charts/TableExport.h"

#include <QStandardItemModel>

#include <QFile>
#include <QImage>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>
#include <QXmlStreamReader>

#include <cmath>

using namespace anthology;
using namespace anthology::test;
using namespace anthology::ui;
using namespace Qt::StringLiterals;

// Exported figures are valid files: a PNG of the requested pixel size and resolution, and a PDF
// and an SVG that parse and hold the question's labels as text (vector, not a picture).
class TestFigureExport : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    FigureData m_data;
    std::unique_ptr<DistributionChart> m_chart;

    // Every line of every option label as drawn (labels are wrapped), plus the question id.
    QStringList expectedTexts() const
    {
        const Question &q = m_data.study.questions.first();
        QStringList texts{q.id};
        const int width = std::max(10, 80 / int(q.choices.size() + 1));
        for (const QString &choice : q.choices)
            texts += ChartStyle::wrap(choice, width).split(u'\n');
        return texts;
    }

private Q_SLOTS:
    void initTestCase()
    {
        Result<SyntheticStudy> study = syntheticStudy(m_dir.path(u"export.anthology"_s), 120, 3);
        QVERIFY(study);
        auto project = ProjectFile::open(study->path, ProjectFile::Mode::ReadWrite);
        QVERIFY(project);
        Result<qint64> run =
            writeSurveyRun(**project, u"mixed"_s, *study, 120, [](int p, int q, int k) { return (p + q) % k + 1; });
        QVERIFY(run);
        FigureRequest request;
        request.dataset = study->dataset;
        request.runIds = {*run};
        Result<FigureData> data = FigureDataLoader::load(**project, request);
        QVERIFY(data);
        m_data = *data;
        m_chart = std::make_unique<DistributionChart>();
        m_chart->showQuestion(m_data, 0);
        QVERIFY(!m_data.study.questions.first().choices.isEmpty());
    }

    void pngHasTheRequestedPixelSize_data()
    {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("dpi");
        QTest::newRow("screen") << 800 << 500 << 96;
        QTest::newRow("print 300 dpi") << 900 << 600 << 300;
        QTest::newRow("192 dpi") << 640 << 480 << 192;
    }

    void pngHasTheRequestedPixelSize()
    {
        QFETCH(int, width);
        QFETCH(int, height);
        QFETCH(int, dpi);
        const QString path = m_dir.path(u"figure-%1.png"_s.arg(dpi));
        QVERIFY(FigureExporter::save(m_chart.get(), path, FigureFormat::Png, QSize(width, height), dpi));
        QImage image(path);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), FigureExporter::pngPixels(QSize(width, height), dpi));
        QCOMPARE(image.width(), qRound(width * dpi / 96.0));
        QCOMPARE(std::lround(image.dotsPerMeterX() * 0.0254), long(dpi));
        // A white page with something drawn on it.
        QCOMPARE(image.pixelColor(2, 2), QColor(Qt::white));
        bool drawn = false;
        for (int y = image.height() / 4; y < image.height() * 3 / 4 && !drawn; y += 3)
            for (int x = image.width() / 4; x < image.width() * 3 / 4 && !drawn; x += 3)
                drawn = image.pixelColor(x, y) != QColor(Qt::white);
        QVERIFY(drawn);
    }

    void pdfHoldsTheLabelsAsText()
    {
        const QString path = m_dir.path(u"figure.pdf"_s);
        QVERIFY(FigureExporter::save(m_chart.get(), path, FigureFormat::Pdf, QSize(900, 600)));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(bytes.startsWith("%PDF-"));
        QVERIFY(bytes.trimmed().endsWith("%%EOF"));
        const QString pdftotext = QStandardPaths::findExecutable(u"pdftotext"_s);
        QVERIFY2(!pdftotext.isEmpty(), "pdftotext (poppler-utils) is needed to read the PDF's text");
        QProcess p;
        p.start(pdftotext, {u"-layout"_s, path, u"-"_s});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0); // it parsed
        const QString text = QString::fromUtf8(p.readAllStandardOutput()).simplified();
        for (const QString &label : expectedTexts())
            QVERIFY2(text.contains(label), qPrintable(label + u" not in: "_s + text.left(400)));
    }

    void svgParsesAndHoldsTheLabelsAsText()
    {
        const QString path = m_dir.path(u"figure.svg"_s);
        QVERIFY(FigureExporter::save(m_chart.get(), path, FigureFormat::Svg, QSize(900, 600)));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        QStringList texts;
        int images = 0;
        bool inText = false;
        QString current;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement() && xml.name() == u"text"_s) {
                inText = true;
                current.clear();
            } else if (xml.isEndElement() && xml.name() == u"text"_s) {
                inText = false;
                texts.append(current.simplified());
            } else if (xml.isCharacters() && inText) {
                current += xml.text();
            } else if (xml.isStartElement() && xml.name() == u"image"_s) {
                ++images;
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(images, 0);
        const QString all = texts.join(u' ');
        for (const QString &label : expectedTexts())
            QVERIFY2(all.contains(label), qPrintable(label + u" not in: "_s + all.left(400)));
    }

    void tablesExportAsTsvCsvAndLatex()
    {
        std::unique_ptr<QStandardItemModel> model(ResultsTables::overview(m_data, nullptr));
        QCOMPARE(model->rowCount(), 2); // the human row and the run
        const QString tsv = TableExport::tsv(*model);
        const QStringList lines = tsv.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines[0].startsWith(u"Group\tRun\tMean EMD\tEMD 95% CI"_s));
        const StudyRow *run = StudyReport::runRow(m_data.study.overall, m_data.runs[0].label);
        QVERIFY(tsv.contains(u"\t%1\t"_s.arg(run->emd.estimate, 0, 'f', 4)));
        QVERIFY(tsv.contains(u"\t%1\t"_s.arg(run->representativeness, 0, 'f', 4)));

        const QByteArray csv = TableExport::csv(*model);
        QVERIFY(csv.startsWith("Group,Run,Mean EMD,EMD 95% CI,"));
        QVERIFY(csv.contains("\"[")); // an interval holds a comma, so it is quoted
        QCOMPARE(csv.count("\r\n"), 3);

        const QString latex = TableExport::latex(*model, u"Runs_vs 100% humans"_s);
        QVERIFY(latex.contains(u"\\begin{tabular}{llrrrrrrrrrr}"_s));
        QVERIFY(latex.contains(u"\\toprule"_s) && latex.contains(u"\\midrule"_s) && latex.contains(u"\\bottomrule"_s));
        QVERIFY(latex.contains(u"\\caption{Runs\\_vs 100\\% humans}"_s));
        QVERIFY(latex.contains(u"EMD 95\\% CI"_s));
        QCOMPARE(latex.count(u" \\\\\n"_s), 3);
    }

    void badSizeIsAnError()
    {
        const Status st = FigureExporter::save(m_chart.get(), m_dir.path(u"tiny.png"_s), FigureFormat::Png, QSize(10, 10));
        QVERIFY(!st);
        QVERIFY(st.error().message.contains(u"50 x 50"_s));
    }
};

QTEST_MAIN(TestFigureExport)
#include "TestFigureExport.moc"
