#include "run/QuestionnaireFile.h"

#include "config/ConfigNode.h"
#include "config/ConfigSchema.h"
#include "config/YamlReader.h"

namespace anthology {

Result<Questionnaire> QuestionnaireFile::load(const QString &path, QList<Error> *warnings)
{
    Result<ConfigNode> root = YamlReader::parseFile(path);
    if (!root)
        return root.error();
    QList<Error> ignored;
    return ConfigSchema::questionnaire(*root, QString(), warnings ? *warnings : ignored);
}

} // namespace anthology
