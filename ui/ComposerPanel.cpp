#include "ComposerPanel.h"

#include "ComposerForm.h"
#include "ComposerPreview.h"
#include "ComposerQuestionnaire.h"
#include "ConnectionsDialog.h"
#include "MessageBanner.h"
#include "ProjectSession.h"
#include "backstories/BackstoryStore.h"
#include "config/ConfigSchema.h"
#include "data/DatasetStore.h"
#include "pipeline/BaselinePersonaSet.h"
#include "pipeline/PromptPreview.h"
#include "pipeline/StepRequests.h"
#include "project/ProjectFile.h"
#include "run/PersonaSetStore.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QShortcut>
#include <QStandardPaths>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace anthology::ui {

namespace {
constexpr int kPreviewPersonas = 200; // the first backstories offered as preview personas
}

ComposerPanel::ComposerPanel(QWidget *parent)
    : QWidget(parent), m_step(new QComboBox(this)), m_config(new QLabel(this)), m_dirs(new QLabel(this)),
      m_stepBox(new QGroupBox(tr("Step"), this)), m_stepLayout(nullptr),
      m_questionnaire(new ComposerQuestionnaire(this)), m_form(new ComposerForm(&m_composition, this)), m_command(new QPlainTextEdit(this)),
      m_launch(new QPushButton(tr("&Launch"), this)), m_banner(new MessageBanner(this)),
      m_preview(new ComposerPreview(this)), m_debounce(new QTimer(this))
{
    setObjectName(u"composerPanel"_s);
    m_step->setObjectName(u"composerStep"_s);
    for (const StepSpec &s : StepCatalog::all())
        m_step->addItem(s.title, int(s.kind));
    m_config->setObjectName(u"composerConfig"_s);
    m_config->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_dirs->setObjectName(u"composerConfigDirs"_s);
    m_dirs->setWordWrap(true);
    m_dirs->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *loadButton = new QPushButton(tr("L&oad YAML…"), this);
    auto *saveButton = new QPushButton(tr("&Save YAML…"), this);
    auto *addDir = new QPushButton(tr("Add &Folder…"), this);
    loadButton->setObjectName(u"composerLoad"_s);
    saveButton->setObjectName(u"composerSave"_s);

    auto *head = new QGroupBox(tr("Config"), this);
    auto *headForm = new QFormLayout(head);
    headForm->setContentsMargins(8, 6, 8, 6);
    headForm->addRow(tr("Step:"), m_step);
    headForm->addRow(tr("Config:"), m_config);
    headForm->addRow(tr("Folders:"), m_dirs);
    auto *headButtons = new QHBoxLayout;
    headButtons->addWidget(loadButton);
    headButtons->addWidget(saveButton);
    headButtons->addWidget(addDir);
    headButtons->addStretch(1);
    headForm->addRow(headButtons);
    m_stepLayout = new QVBoxLayout(m_stepBox);
    m_stepLayout->setContentsMargins(8, 6, 8, 6);

    auto *options = new QWidget(this);
    auto *optionsLayout = new QVBoxLayout(options);
    optionsLayout->setContentsMargins(4, 4, 4, 4);
    optionsLayout->addWidget(head);
    optionsLayout->addWidget(m_stepBox);
    optionsLayout->addWidget(m_questionnaire);
    optionsLayout->addWidget(m_form);
    optionsLayout->addStretch(1);
    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(u"composerOptions"_s);
    scroll->setWidget(options);
    scroll->setWidgetResizable(true);
    scroll->setMinimumWidth(420);

    m_command->setObjectName(u"composerCommand"_s);
    m_command->setReadOnly(true);
    m_command->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_command->setMaximumHeight(m_command->fontMetrics().lineSpacing() * 3 + 12);
    m_launch->setObjectName(u"composerLaunch"_s);
    m_launch->setToolTip(tr("Run this step (Ctrl+Return)"));
    auto *copy = new QPushButton(tr("&Copy"), this);
    copy->setObjectName(u"composerCopy"_s);
    auto *commandBox = new QGroupBox(tr("Command line"), this);
    auto *commandLayout = new QVBoxLayout(commandBox);
    commandLayout->setContentsMargins(8, 6, 8, 6);
    commandLayout->addWidget(m_command);
    auto *commandButtons = new QHBoxLayout;
    commandButtons->addStretch(1);
    commandButtons->addWidget(copy);
    commandButtons->addWidget(m_launch);
    commandLayout->addLayout(commandButtons);
    auto *previewBox = new QGroupBox(tr("Prompt preview"), this);
    auto *previewLayout = new QVBoxLayout(previewBox);
    previewLayout->setContentsMargins(8, 6, 8, 6);
    previewLayout->addWidget(m_preview);
    auto *output = new QWidget(this);
    auto *outputLayout = new QVBoxLayout(output);
    outputLayout->setContentsMargins(4, 4, 4, 4);
    outputLayout->addWidget(commandBox);
    outputLayout->addWidget(m_banner);
    outputLayout->addWidget(previewBox, 1);

    auto *split = new QSplitter(this);
    split->addWidget(scroll);
    split->addWidget(output);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kRefreshDelayMs);
    connect(m_debounce, &QTimer::timeout, this, &ComposerPanel::refreshNow);
    connect(m_step, &QComboBox::currentIndexChanged, this,
            [this](int) { setStep(StepKind(m_step->currentData().toInt())); });
    connect(m_form, &ComposerForm::edited, this, &ComposerPanel::scheduleRefresh);
    connect(m_form, &ComposerForm::groupsChanged, this, [this]() {
        // After the signal returns: the chooser that sent it is deleted by the rebuild.
        QTimer::singleShot(0, this, [this]() {
            rebuild();
            refreshNow();
        });
    });
    connect(m_questionnaire, &ComposerQuestionnaire::chosen, this,
            [this](const QString &group, const QString &option, const QString &dir) {
                QStringList dirs = m_composition.configDirs();
                dirs.removeAll(dir);
                dirs.prepend(dir);
                m_composition.setConfigDirs(dirs);
                m_composition.setOverride(group, option);
                rebuild();
                refreshNow();
            });
    connect(m_preview, &ComposerPreview::personaChanged, this, &ComposerPanel::scheduleRefresh);
    connect(m_launch, &QPushButton::clicked, this, &ComposerPanel::launch);
    auto *shortcut = new QShortcut(QKeySequence(u"Ctrl+Return"_s), this);
    shortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(shortcut, &QShortcut::activated, this, &ComposerPanel::launch);
    connect(copy, &QPushButton::clicked, this,
            [this]() { QApplication::clipboard()->setText(m_command->toPlainText()); });
    connect(saveButton, &QPushButton::clicked, this, &ComposerPanel::saveDialog);
    connect(loadButton, &QPushButton::clicked, this, &ComposerPanel::loadDialog);
    connect(addDir, &QPushButton::clicked, this, [this]() {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Add a Config Folder"));
        if (!dir.isEmpty())
            addConfigDir(dir);
    });

    m_composition.setConfigDirs(ConnectionsDialog::savedConfigDirs());
    setStep(StepKind::SurveyAtp);
}

ComposerPanel::~ComposerPanel() = default;

void ComposerPanel::setSession(ProjectSession *session)
{
    m_session = session;
    // Questionnaires composed from a data set live beside the project, as a config folder.
    m_questionnaire->setWorkDir(session ? session->configDir()
                                        : QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) +
                                              u"/composer"_s);
    // Profiles and questionnaires saved with the project are options like ours.
    if (session && QFileInfo(session->configDir()).isDir() &&
        !m_composition.configDirs().contains(session->configDir()))
        addConfigDir(session->configDir());
    m_questionnaire->setSession(session);
    reloadProjectLists();
    rebuildStepFields();
    scheduleRefresh();
}

void ComposerPanel::reloadProjectLists()
{
    m_personaSets.clear();
    m_datasets.clear();
    if (m_session) {
        if (Result<std::unique_ptr<ProjectFile>> reader = m_session->openReader()) {
            if (Result<QList<PersonaSet>> sets = PersonaSetStore(**reader).list())
                for (const PersonaSet &set : std::as_const(*sets))
                    m_personaSets.append(set.name);
            for (const DatasetInfo &info : DatasetStore(**reader).list())
                m_datasets.append(info.name);
        }
    }
    reloadPreviewPersonas();
}

QString ComposerPanel::previewSet() const
{
    switch (m_composition.kind()) {
    case StepKind::SurveyAtp:
        return m_composition.stepValue(u"personas"_s);
    case StepKind::SurveyBaseline: {
        // The respondents set the run builds (or reuses) under this name.
        const QString dataset = m_composition.stepValue(u"dataset"_s);
        const QString named = m_composition.stepValue(u"persona_set"_s);
        return !named.isEmpty() || dataset.isEmpty() ? named : BaselinePersonaSet::defaultName(dataset, m_baselineStyle);
    }
    default:
        return {};
    }
}

void ComposerPanel::reloadPreviewPersonas()
{
    QStringList personas;
    m_previewKey.clear();
    if (m_session) {
        if (Result<std::unique_ptr<ProjectFile>> reader = m_session->openReader()) {
            if (Result<QStringList> keys = PromptPreview::personas(**reader, previewSet(), kPreviewPersonas))
                personas = *keys;
        }
    }
    m_preview->setPersonas(personas);
    if (m_preview->persona().isEmpty() && !personas.isEmpty())
        m_preview->selectPersona(personas.first());
}

void ComposerPanel::setStep(StepKind kind)
{
    {
        const QSignalBlocker block(m_step);
        m_step->setCurrentIndex(m_step->findData(int(kind)));
    }
    const QStringList dirs = m_composition.configDirs();
    m_composition.setKind(kind);
    m_composition.setConfigDirs(dirs);
    rebuild();
    refreshNow();
}

void ComposerPanel::addConfigDir(const QString &dir)
{
    QStringList dirs = m_composition.configDirs();
    const QString absolute = QFileInfo(dir).absoluteFilePath();
    if (!dirs.contains(absolute))
        dirs.append(absolute);
    m_composition.setConfigDirs(dirs);
    rebuild();
    refreshNow();
}

void ComposerPanel::rebuild()
{
    m_config->setText(m_composition.configName());
    QStringList dirs;
    for (const QString &d : m_composition.configDirs())
        dirs.append(QDir::toNativeSeparators(d));
    m_dirs->setText(dirs.isEmpty() ? tr("ours only") : dirs.join(u'\n'));
    rebuildStepFields();
    m_form->rebuild();
    reloadPreviewPersonas();
    QString group;
    const StepKind kind = m_composition.kind();
    if (kind == StepKind::SurveyAtp || kind == StepKind::SurveyBaseline) {
        if (Result<QList<ConfigComposition::Group>> groups = m_composition.groups())
            for (const ConfigComposition::Group &g : std::as_const(*groups))
                if (group.isEmpty() && g.group.startsWith(u"questionnaire/"_s))
                    group = g.group;
    }
    m_questionnaire->setGroup(group);
}

void ComposerPanel::rebuildStepFields()
{
    delete m_stepFields;
    m_stepFields = new QWidget(m_stepBox);
    m_stepLayout->addWidget(m_stepFields);
    const StepSpec &spec = m_composition.spec();
    auto *form = new QFormLayout(m_stepFields);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    QStringList handled;
    auto chooser = [&](const QString &key, const QString &label, const QString &none, const QStringList &items) {
        auto *combo = new QComboBox(m_stepFields);
        combo->setObjectName(u"step:"_s + key);
        combo->setEditable(true);
        combo->addItem(none, QString());
        for (const QString &item : items)
            combo->addItem(item, item);
        const QString current = m_composition.stepValue(key);
        if (!current.isEmpty() && combo->findData(current) < 0)
            combo->addItem(current, current);
        combo->setCurrentIndex(qMax(0, combo->findData(current)));
        connect(combo, &QComboBox::currentTextChanged, this, [this, key, none](const QString &text) {
            m_composition.setStepValue(key, text == none ? QString() : text);
            if (key == u"personas"_s || key == u"dataset"_s)
                reloadPreviewPersonas();
            scheduleRefresh();
        });
        form->addRow(label, combo);
        handled.append(key);
    };
    if (spec.personas == StepSpec::Personas::PersonaSet)
        chooser(u"personas"_s, tr("Personas:"), tr("All backstories"), m_personaSets);
    else if (spec.personas == StepSpec::Personas::DatasetRespondents)
        chooser(u"dataset"_s, tr("Respondents of:"), tr("(choose a data set)"), m_datasets);
    for (const QString &key : spec.stepKeys) {
        if (handled.contains(key))
            continue;
        auto *edit = new QLineEdit(m_composition.stepValue(key), m_stepFields);
        edit->setObjectName(u"step:"_s + key);
        edit->setPlaceholderText(tr("(default)"));
        connect(edit, &QLineEdit::textEdited, this, [this, key](const QString &text) {
            m_composition.setStepValue(key, text.trimmed());
            if (key == u"persona_set"_s)
                reloadPreviewPersonas();
            scheduleRefresh();
        });
        form->addRow(key + u':', edit);
    }
    m_stepBox->setVisible(form->rowCount() > 0);
}

void ComposerPanel::scheduleRefresh()
{
    m_debounce->start();
}

QString ComposerPanel::commandLine() const
{
    return m_command->toPlainText();
}

void ComposerPanel::showError(const Error &error)
{
    m_error = error.toString();
    if (error.key.isEmpty() || !m_form->showError(error.key, m_error))
        m_banner->showMessage(m_error, MessageBanner::Level::Error);
    m_preview->showError(m_error);
}

void ComposerPanel::refreshNow()
{
    m_debounce->stop();
    m_form->clearErrors();
    m_banner->dismiss();
    m_error.clear();
    m_command->setPlainText(ConfigComposition::commandLine(m_composition.arguments()));
    Result<ResolvedConfig> resolved = m_composition.resolve();
    Result<SurveyConfig> survey = resolved ? ConfigSchema::survey(*resolved) : Result<SurveyConfig>(resolved.error());
    if (!survey) {
        showError(survey.error());
    } else if (m_composition.kind() == StepKind::GenerateBackstories) {
        updateStoryPreview(*resolved, *survey);
    } else {
        m_preview->setPersonaShown(true);
        updatePreview(*survey);
    }
    m_launch->setEnabled(m_error.isEmpty());
    emit refreshed();
}

void ComposerPanel::updatePreview(const SurveyConfig &config)
{
    if (m_composition.kind() == StepKind::SurveyBaseline) {
        if (config.baseline.promptStyle != m_baselineStyle) {
            m_baselineStyle = config.baseline.promptStyle;
            reloadPreviewPersonas();
        }
        if (m_composition.stepValue(u"dataset"_s).isEmpty()) {
            m_preview->showError(tr("Choose the data set whose respondents are the personas."));
            return;
        }
        if (m_preview->persona().isEmpty())
            reloadPreviewPersonas(); // the set may have been built since (by a run of this step)
        if (m_preview->persona().isEmpty()) {
            m_preview->showError(tr("The respondents of %1 become the persona set %2 when the run starts; their "
                                    "prompts show here once it exists.")
                                     .arg(m_composition.stepValue(u"dataset"_s), previewSet()));
            return;
        }
    }
    if (!config.hasQuestionnaire && !config.hasDemographics) {
        m_preview->showError(tr("This step's config asks no survey questions; nothing to preview."));
        return;
    }
    // The persona's passage is read once per (set, persona), not on every keystroke.
    const QString key = previewSet() + u'\n' + m_preview->persona();
    if (key != m_previewKey) {
        m_previewKey = key;
        m_previewRequest = PromptPreview::Request();
        m_previewProblem.clear();
        if (m_session && !m_preview->persona().isEmpty()) {
            Result<std::unique_ptr<ProjectFile>> reader = m_session->openReader();
            Result<PromptPreview::Request> r =
                reader ? PromptPreview::forPersona(**reader, previewSet(), m_preview->persona())
                       : Result<PromptPreview::Request>(reader.error());
            if (r)
                m_previewRequest = *r;
            else
                m_previewProblem = r.error().toString();
        }
    }
    if (!m_previewProblem.isEmpty()) {
        m_preview->showError(m_previewProblem);
        return;
    }
    const PromptPreview::Request &request = m_previewRequest;
    Result<QList<PreviewPrompt>> prompts = PromptPreview::prompts(config, request);
    if (!prompts)
        m_preview->showError(prompts.error().toString());
    else
        m_preview->setPrompts(*prompts);
}

// A generate step has no personas: it shows its first story's prompts (the preamble, then the
// story), as the run will send them.
void ComposerPanel::updateStoryPreview(const ResolvedConfig &resolved, const SurveyConfig &config)
{
    m_preview->setPersonaShown(false);
    if (!m_session) {
        m_preview->showError(tr("Open a project to preview the prompts."));
        return;
    }
    Result<std::unique_ptr<ProjectFile>> reader = m_session->openReader();
    if (!reader) {
        m_preview->showError(reader.error().toString());
        return;
    }
    const GenerateOptions options = StepRequests::generate({resolved, config}, QString(), false);
    Result<QList<PreviewPrompt>> prompts =
        PromptPreview::story(**reader, config, options, PromptPreview::Request().answerTemplate);
    if (!prompts)
        m_preview->showError(prompts.error().toString());
    else
        m_preview->setPrompts(*prompts);
}

void ComposerPanel::launch()
{
    refreshNow();
    if (!m_error.isEmpty())
        return;
    emit launchRequested(m_composition.arguments());
}

void ComposerPanel::loadInvocation(const QStringList &arguments)
{
    Result<ConfigComposition> loaded = ConfigComposition::fromArguments(arguments);
    if (!loaded) {
        m_banner->showMessage(loaded.error().toString(), MessageBanner::Level::Error);
        return;
    }
    m_composition = *loaded;
    {
        const QSignalBlocker block(m_step);
        m_step->setCurrentIndex(m_step->findData(int(m_composition.kind())));
    }
    rebuild();
    refreshNow();
}

Status ComposerPanel::saveConfig(const QString &dir, const QString &name)
{
    if (Status st = m_composition.save(dir, name); !st) {
        m_banner->showMessage(st.error().toString(), MessageBanner::Level::Error);
        return st;
    }
    rebuild();
    refreshNow();
    m_banner->showMessage(tr("Saved %1").arg(QDir(dir).filePath(name + u".yaml"_s)), MessageBanner::Level::Positive);
    return {};
}

Status ComposerPanel::loadConfig(const QString &file)
{
    QStringList dirs = m_composition.configDirs();
    Result<ConfigComposition> loaded = ConfigComposition::load(m_composition.kind(), file, dirs);
    if (!loaded) {
        m_banner->showMessage(loaded.error().toString(), MessageBanner::Level::Error);
        return loaded.error();
    }
    m_composition = *loaded;
    rebuild();
    refreshNow();
    return {};
}

void ComposerPanel::saveDialog()
{
    const QString file = QFileDialog::getSaveFileName(this, tr("Save Config"), QString(), tr("YAML (*.yaml)"));
    if (file.isEmpty())
        return;
    const QFileInfo info(file);
    (void)saveConfig(info.absolutePath(), info.completeBaseName()); // the banner shows how it went
}

void ComposerPanel::loadDialog()
{
    const QString file = QFileDialog::getOpenFileName(this, tr("Load Config"), QString(), tr("YAML (*.yaml *.yml)"));
    if (!file.isEmpty())
        (void)loadConfig(file); // the banner shows how it went
}

} // namespace anthology::ui
