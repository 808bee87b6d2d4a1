#include "ComposerQuestionnaire.h"

#include "ProjectSession.h"
#include "analysis/VariableDescription.h"
#include "config/ConfigSchema.h"
#include "config/YamlReader.h"
#include "data/Dataset.h"
#include "data/DatasetStore.h"
#include "data/QuestionnaireFromDataset.h"
#include "project/ProjectFile.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace anthology::ui {

ComposerQuestionnaire::ComposerQuestionnaire(QWidget *parent)
    : QGroupBox(tr("Questionnaire"), parent), m_dataset(new QComboBox(this)), m_variables(new QTreeWidget(this)),
      m_status(new QLabel(this))
{
    setObjectName(u"composerQuestionnaire"_s);
    m_dataset->setObjectName(u"questionnaireDataset"_s);
    m_variables->setObjectName(u"questionnaireVariables"_s);
    m_variables->setHeaderLabels({tr("Variable"), tr("Question"), tr("Choices (weighted human share)")});
    m_variables->setRootIsDecorated(false);
    m_variables->setAlternatingRowColors(true);
    m_variables->header()->setSectionResizeMode(QHeaderView::Interactive);
    m_variables->setColumnWidth(0, 110);
    m_variables->setColumnWidth(1, 220);
    m_variables->setMinimumHeight(160);
    m_status->setObjectName(u"questionnaireStatus"_s);
    m_status->setWordWrap(true);
    auto *use = new QPushButton(tr("&Use Ticked Variables"), this);
    use->setObjectName(u"questionnaireUseTicked"_s);
    auto *fromFile = new QPushButton(tr("From &YAML…"), this);
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Data set:"), this));
    top->addWidget(m_dataset, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(use);
    buttons->addWidget(fromFile);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->addLayout(top);
    layout->addWidget(m_variables, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_status);
    connect(m_dataset, &QComboBox::currentIndexChanged, this, &ComposerQuestionnaire::loadDataset);
    connect(use, &QPushButton::clicked, this, [this]() { (void)useTicked(); }); // the status line shows how it went
    connect(fromFile, &QPushButton::clicked, this, [this]() {
        const QString file =
            QFileDialog::getOpenFileName(this, tr("Questionnaire YAML"), QString(), tr("YAML (*.yaml *.yml)"));
        if (!file.isEmpty())
            (void)useFile(file);
    });
    setVisible(false);
}

void ComposerQuestionnaire::setSession(ProjectSession *session)
{
    m_session = session;
    const QSignalBlocker block(m_dataset);
    m_dataset->clear();
    m_dataset->addItem(tr("(choose a data set)"));
    if (session) {
        if (Result<std::unique_ptr<ProjectFile>> reader = session->openReader())
            for (const DatasetInfo &info : DatasetStore(**reader).list())
                m_dataset->addItem(info.name, info.name);
    }
    loadDataset();
}

void ComposerQuestionnaire::setGroup(const QString &group)
{
    m_group = group;
    setVisible(!group.isEmpty());
}

bool ComposerQuestionnaire::selectDataset(const QString &name)
{
    const int i = m_dataset->findData(name);
    if (i >= 0)
        m_dataset->setCurrentIndex(i);
    return i >= 0;
}

void ComposerQuestionnaire::loadDataset()
{
    m_variables->clear();
    m_status->clear();
    const QString name = m_dataset->currentData().toString();
    if (name.isEmpty() || !m_session)
        return;
    Result<std::unique_ptr<ProjectFile>> reader = m_session->openReader();
    Result<Dataset> data = reader ? DatasetStore(**reader).load(name) : Result<Dataset>(reader.error());
    if (!data) {
        m_status->setText(data.error().toString());
        return;
    }
    // Each labelled numeric variable as `data describe` reads it; those that do not read as a
    // question (`data questionnaire` would refuse them) are shown, greyed, with the reason.
    const std::vector<double> weights = VariableDescription::usableWeights(*data);
    for (qsizetype c = 0; c < data->variableCount(); ++c) {
        const Variable &v = data->variable(c);
        if (!v.isNumeric() || !v.hasValueLabels())
            continue;
        Result<VariableDescription> d = VariableDescription::describe(*data, c, weights);
        if (!d)
            continue;
        QStringList choices;
        for (const CategoryShare &k : std::as_const(d->categories))
            choices.append(d->distribution.empty() ? k.label : u"%1 %2%"_s.arg(k.label).arg(100.0 * k.share, 0, 'f', 0));
        const bool usable = d->note.isEmpty();
        const QString text = QuestionnaireFromDataset::stripNamePrefix(v.name, v.label);
        auto *item = new QTreeWidgetItem(m_variables, {v.name, text, usable ? choices.join(u" · "_s) : d->note});
        item->setToolTip(1, text);
        item->setToolTip(2, item->text(2));
        if (usable) {
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
            item->setCheckState(0, Qt::Unchecked);
        } else {
            item->setFlags(item->flags() & ~Qt::ItemIsEnabled);
        }
    }
}

Status ComposerQuestionnaire::write(const QString &option, const QByteArray &yaml)
{
    const QString dir = QDir(m_workDir).filePath(m_group);
    if (m_workDir.isEmpty() || !QDir().mkpath(dir))
        return Error::user(tr("cannot create the config folder %1").arg(dir));
    const QString path = QDir(dir).filePath(option + u".yaml"_s);
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(yaml) < 0 || !out.commit())
        return Error::user(tr("cannot write %1: %2").arg(path, out.errorString()));
    m_status->setText(tr("Written as %1=%2 in %3").arg(m_group, option, QDir::toNativeSeparators(m_workDir)));
    emit chosen(m_group, option, m_workDir);
    return {};
}

Status ComposerQuestionnaire::useTicked()
{
    const QString name = m_dataset->currentData().toString();
    QStringList ticked;
    for (int i = 0; i < m_variables->topLevelItemCount(); ++i)
        if (m_variables->topLevelItem(i)->checkState(0) == Qt::Checked)
            ticked.append(m_variables->topLevelItem(i)->text(0));
    auto fail = [this](const Error &e) {
        m_status->setText(e.toString());
        return Status(e);
    };
    if (name.isEmpty() || ticked.isEmpty())
        return fail(Error::user(tr("tick at least one variable of a data set")));
    Result<std::unique_ptr<ProjectFile>> reader = m_session->openReader();
    if (!reader)
        return fail(reader.error());
    Result<Dataset> data = DatasetStore(**reader).load(name, ticked);
    if (!data)
        return fail(data.error());
    Result<Questionnaire> questionnaire = QuestionnaireFromDataset::build(*data, ticked);
    if (!questionnaire)
        return fail(questionnaire.error());
    Result<QString> yaml = QuestionnaireFromDataset::toYaml(*questionnaire);
    if (!yaml)
        return fail(yaml.error());
    QString option = name + u"_composed"_s;
    option.replace(QRegularExpression(u"[^A-Za-z0-9_-]"_s), u"_"_s);
    if (Status st = write(option, yaml->toUtf8()); !st)
        return fail(st.error());
    return {};
}

Status ComposerQuestionnaire::useFile(const QString &path)
{
    auto fail = [this](const Error &e) {
        m_status->setText(e.toString());
        return Status(e);
    };
    Result<ConfigNode> node = YamlReader::parseFile(path);
    if (!node)
        return fail(node.error());
    QList<Error> warnings;
    if (Result<Questionnaire> q = ConfigSchema::questionnaire(*node, m_group, warnings); !q)
        return fail(q.error());
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly))
        return fail(Error::user(tr("cannot read %1").arg(path)));
    if (Status st = write(QFileInfo(path).completeBaseName(), in.readAll()); !st)
        return fail(st.error());
    return {};
}

} // namespace anthology::ui
