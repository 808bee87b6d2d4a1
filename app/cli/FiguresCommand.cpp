#include "CliOutput.h"
#include "CommandLine.h"
#include "Commands.h"
#include "StudyArguments.h"

#ifdef ANTHOLOGY_HAVE_FIGURES
#include "charts/FigureDataLoader.h"
#include "charts/FigureSet.h"

#include <QApplication>
#include <QJsonArray>
#include <QJsonObject>
#else
#include <QCoreApplication>
#endif

using namespace Qt::StringLiterals;

namespace anthology::cli {

namespace {

#ifdef ANTHOLOGY_HAVE_FIGURES

int figures(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"figures"_s,
                   u"Draw the Results figures of runs against a data set's respondents, offscreen, with the "
                   "same chart code as the workbench: the overview (mean distance per run with the human "
                   "split-half bound), one question view per question, subgroup panels per question (with "
                   "--subgroup), one correlation heatmap per run, the overview table as CSV and LaTeX, and "
                   "manifest.json naming each file's runs, data set, subgroup, metric and command."_s);
    cl.addOption(projectOption());
    addStudyOptions(cl, true);
    cl.addOption(QCommandLineOption(u"format"_s, u"pdf (default), svg or png."_s, u"pdf|svg|png"_s, u"pdf"_s));
    cl.addOption(QCommandLineOption(u"output"_s, u"The folder to write (created when missing)."_s, u"dir"_s));
    cl.addOption(QCommandLineOption(u"dpi"_s, u"PNG resolution (default 300)."_s, u"n"_s, u"300"_s));
    cl.addOption(QCommandLineOption(u"size"_s, u"Figure size in points at 96 per inch (default 900x600)."_s,
                                    u"WxH"_s, u"900x600"_s));
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    if (!cl.isSet(u"output"_s))
        return out.usage(u"--output is required"_s, cl.helpHint());
    const std::optional<ui::FigureFormat> format = ui::FigureExporter::fromName(cl.value(u"format"_s));
    if (!format)
        return out.fail(Error::user(u"--format expects pdf, svg or png, got '%1'"_s.arg(cl.value(u"format"_s)))
                            .withKey(u"format"_s));
    ui::FigureSet::Options options;
    options.format = *format;
    bool ok = false;
    options.dpi = cl.value(u"dpi"_s).toInt(&ok);
    if (!ok)
        return out.fail(Error::user(u"--dpi expects a whole number"_s).withKey(u"dpi"_s));
    const QStringList size = cl.value(u"size"_s).toLower().split(u'x');
    bool okW = false, okH = false;
    if (size.size() == 2)
        options.size = QSize(size[0].toInt(&okW), size[1].toInt(&okH));
    if (!okW || !okH)
        return out.fail(Error::user(u"--size expects WIDTHxHEIGHT, e.g. 900x600"_s).withKey(u"size"_s));

    ui::FigureRequest request;
    Result<QList<qint64>> ids = studyRunIds(cl);
    if (!ids)
        return out.fail(ids.error());
    Result<StudyOptions> study = studyOptions(cl);
    if (!study)
        return out.fail(study.error());
    request.dataset = cl.value(u"dataset"_s);
    request.runIds = *ids;
    request.options = *study;
    auto project = openProject(cl, ProjectFile::Mode::ReadOnly);
    if (!project)
        return out.fail(project.error());
    Result<ui::FigureData> data = ui::FigureDataLoader::load(**project, request);
    if (!data)
        return out.fail(data.error());
    Result<QJsonObject> manifest = ui::FigureSet::write(*data, request, cl.value(u"output"_s), options);
    if (!manifest)
        return out.fail(manifest.error());
    if (out.json()) {
        out.printJson(*manifest);
    } else {
        const QJsonArray files = manifest->value(u"files"_s).toArray();
        for (const QJsonValue &f : files)
            out.out() << f.toObject().value(u"file"_s).toString() << '\n';
        out.out() << "manifest.json\n" << Qt::flush;
        out.err() << "Wrote " << files.size() + 1 << " files to " << cl.value(u"output"_s) << Qt::endl;
    }
    return ExitOk;
}

#endif

} // namespace

int runFiguresProgram(int argc, char **argv)
{
#ifdef ANTHOLOGY_HAVE_FIGURES
    // No display is needed: the charts are widgets, drawn offscreen.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
#else
    QCoreApplication app(argc, argv);
#endif
    QCoreApplication::setApplicationName(u"anthology"_s);
    QCoreApplication::setOrganizationName(u"Anthology Workbench"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(ANTHOLOGY_VERSION));
    CliOutput out;
    const QStringList args = QCoreApplication::arguments().mid(2);
#ifdef ANTHOLOGY_HAVE_FIGURES
    return figures(args, out);
#else
    return out.fail(Error::user(u"anthology figures is not built in: this anthology was built with "
                                "ANTHOLOGY_BUILD_GUI=OFF (the figures need the chart library)"_s));
#endif
}

int runFigures(const QStringList &, CliOutput &out)
{
    // main() hands `figures` to runFiguresProgram before any application object exists.
    return out.fail(Error::internal(u"anthology figures must be the first argument"_s));
}

} // namespace anthology::cli
