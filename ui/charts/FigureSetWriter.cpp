#include "charts/FigureSetWriter.h"

#include "charts/DistributionChart.h"
#include "charts/FigureData.h"
#include "charts/HeatmapChart.h"
#include "charts/OverviewChart.h"
#include "charts/ResultsTables.h"
#include "charts/SubgroupChart.h"
#include "charts/TableExport.h"

#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardItemModel>

using namespace Qt::StringLiterals;

namespace anthology::ui {

namespace {

Status writeBytes(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return Error::user(u"cannot write: "_s + file.errorString()).withFile(path);
    return {};
}

} // namespace

FigureSetWriter::FigureSetWriter(std::shared_ptr<const FigureData> data, FigureRequest request, const QString &folder,
                                 FigureSet::Options options)
    : m_data(std::move(data)), m_request(std::move(request)), m_dir(folder), m_options(options),
      m_ext(FigureExporter::extension(options.format))
{
    plan();
}

FigureSetWriter::~FigureSetWriter() = default;

QString FigureSetWriter::nextName() const
{
    return atEnd() ? QString() : m_steps[size_t(m_next)].name;
}

Status FigureSetWriter::writeNext()
{
    if (atEnd())
        return {};
    if (m_next == 0 && !QDir().mkpath(m_dir.absolutePath()))
        return Error::user(u"cannot create the folder"_s).withFile(m_dir.absolutePath());
    const Step &step = m_steps[size_t(m_next)];
    if (Status st = step.write(m_dir.filePath(step.name)); !st)
        return st;
    ++m_next;
    return {};
}

void FigureSetWriter::plan()
{
    const FigureData &data = *m_data;
    using Draw = std::function<std::unique_ptr<QCustomPlot>()>;
    const auto figure = [this](QString name, QString kind, QString question, qint64 run, QSize size, Draw draw) {
        m_steps.push_back({name, [this, name, kind, question, run, size, draw](const QString &path) -> Status {
                               const std::unique_ptr<QCustomPlot> plot = draw();
                               if (Status st = FigureExporter::save(plot.get(), path, m_options.format, size,
                                                                    m_options.dpi);
                                   !st)
                                   return st;
                               addEntry(name, kind, question, run);
                               return {};
                           }});
    };

    // One row per run: a short study gets a short figure, not stretched dots.
    const int overviewHeight = std::min(m_options.size.height(), 190 + 55 * int(data.runs.size() + 1));
    figure(u"overview."_s + m_ext, u"overview"_s, {}, 0, QSize(m_options.size.width(), overviewHeight), [this] {
        auto chart = std::make_unique<OverviewChart>();
        chart->showStudy(*m_data);
        return std::unique_ptr<QCustomPlot>(std::move(chart));
    });
    for (qsizetype q = 0; q < data.study.questions.size(); ++q) {
        const QString id = data.study.questions[q].id;
        figure(u"question-%1.%2"_s.arg(FigureSet::slug(id), m_ext), u"question"_s, id, 0, m_options.size, [this, q] {
            auto chart = std::make_unique<DistributionChart>();
            chart->showQuestion(*m_data, q);
            return std::unique_ptr<QCustomPlot>(std::move(chart));
        });
        if (data.study.subgroups.isEmpty())
            continue;
        figure(u"subgroups-%1.%2"_s.arg(FigureSet::slug(id), m_ext), u"subgroups"_s, id, 0, m_options.size, [this, q] {
            auto chart = std::make_unique<SubgroupChart>();
            chart->showQuestion(*m_data, q);
            return std::unique_ptr<QCustomPlot>(std::move(chart));
        });
    }
    for (qsizetype r = 0; r < data.runs.size(); ++r) {
        const qint64 runId = data.runs[r].runId;
        figure(u"correlations-run%1.%2"_s.arg(runId).arg(m_ext), u"correlations"_s, {}, runId, m_options.size, [this, r] {
            auto chart = std::make_unique<HeatmapChart>();
            chart->showRun(*m_data, r);
            return std::unique_ptr<QCustomPlot>(std::move(chart));
        });
    }

    const auto table = [this](QString name, std::function<QByteArray(const QStandardItemModel &)> text) {
        m_steps.push_back({name, [this, name, text](const QString &path) -> Status {
                               if (Status st = writeBytes(path, text(overviewTable())); !st)
                                   return st;
                               addEntry(name, u"table"_s);
                               return {};
                           }});
    };
    table(u"overview.csv"_s, [](const QStandardItemModel &model) { return TableExport::csv(model); });
    const QString caption = QObject::tr("Runs against the humans of %1, sorted by mean %2.")
                                .arg(data.dataset, StudyReport::metricName(data.study.metric).toUpper());
    table(u"overview.tex"_s,
          [caption](const QStandardItemModel &model) { return TableExport::latex(model, caption).toUtf8(); });
    m_steps.push_back({u"manifest.json"_s, [this](const QString &path) {
                           return writeBytes(path, QJsonDocument(manifest()).toJson());
                       }});
}

const QStandardItemModel &FigureSetWriter::overviewTable()
{
    if (!m_overviewTable)
        m_overviewTable.reset(ResultsTables::overview(*m_data, nullptr));
    return *m_overviewTable;
}

void FigureSetWriter::addEntry(const QString &file, const QString &kind, const QString &question, qint64 run)
{
    QJsonArray runs;
    for (const FigureRun &r : m_data->runs)
        if (run == 0 || r.runId == run)
            runs.append(QJsonObject{{u"id"_s, double(r.runId)}, {u"label"_s, r.label}});
    QJsonObject entry{{u"file"_s, file},
                      {u"kind"_s, kind},
                      {u"runs"_s, runs},
                      {u"dataset"_s, m_data->dataset},
                      {u"subgroup"_s, m_request.options.subgroupVariable},
                      {u"metric"_s, StudyReport::metricName(m_data->study.metric)},
                      {u"command"_s, command()}};
    if (!question.isEmpty())
        entry.insert(u"question"_s, question);
    m_files.append(entry);
}

QJsonObject FigureSetWriter::manifest() const
{
    return QJsonObject{{u"dataset"_s, m_data->dataset},
                       {u"subgroup"_s, m_request.options.subgroupVariable},
                       {u"metric"_s, StudyReport::metricName(m_data->study.metric)},
                       {u"format"_s, m_ext},
                       {u"command"_s, command()},
                       {u"files"_s, m_files}};
}

QString FigureSetWriter::command() const
{
    QStringList quoted;
    for (const QString &a : m_request.commandLine(m_ext, m_dir.absolutePath()))
        quoted.append(a.contains(u' ') ? u"'"_s + a + u"'"_s : a);
    return quoted.join(u' ');
}

} // namespace anthology::ui
