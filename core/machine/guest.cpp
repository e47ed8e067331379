#include "machine/guest.h"

#include "machine/errors.h"
#include "machine/source_edit.h"

namespace ringsim {

GuestImages assembleGuest(const GuestSources& sources) {
    GuestBuild build = buildGuest(sources);
    if (!build.ok()) throw InputError(build.errorText());
    return std::move(*build.images);
}

}  // namespace ringsim
