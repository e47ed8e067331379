#include "guest.h"

#include "errors.h"
#include "source_edit.h"

namespace ringsim {

GuestImages assembleGuest(const GuestSources& sources) {
    GuestBuild build = buildGuest(sources);
    if (!build.ok()) throw InputError(build.errorText());
    return std::move(*build.images);
}

}  // namespace ringsim
