/*
 * enum.h — enum fields of requests, and enum values as text, from the
 * protobuf-c descriptors.
 *
 * Which numbers an enum has, and what they are called, is written once:
 * in the .proto. Validators check a value against the enum's descriptor;
 * handlers that keep an enum as text in the database ("machine_image" for
 * PRODUCT_KIND_MACHINE_IMAGE) derive that text from the descriptor too:
 * the value's name without the enum's prefix (the zero value's name less
 * "UNSPECIFIED", e.g. "PRODUCT_KIND_"), lower-cased. The zero value is
 * UNSPECIFIED (AIP-126) and has no text.
 *
 * d is the generated descriptor, e.g. &nuage__v1__product_kind__descriptor.
 */
#ifndef NU_VALIDATE_ENUM_H
#define NU_VALIDATE_ENUM_H

#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <stddef.h>

#include "server/validate/validate.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Whether value is one of d's values; the zero (UNSPECIFIED) only when
 * zero_ok. */
bool nu_enum_valid(const ProtobufCEnumDescriptor *d, int value, bool zero_ok);

/* The value's name as the .proto writes it ("PRODUCT_KIND_MACHINE_IMAGE");
 * NULL when d has no such value. Static (the descriptor's). */
const char *nu_enum_name(const ProtobufCEnumDescriptor *d, int value);

/* The value's text ("machine_image"); NULL for the zero value, for a
 * number d does not have, and when out of memory. Static: built once per
 * enum, then kept for the life of the process (safe from any thread). */
const char *nu_enum_text(const ProtobufCEnumDescriptor *d, int value);

/* The value whose text is exactly s (lower case); 0 (UNSPECIFIED) for NULL
 * or any other string. */
int nu_enum_parse_text(const ProtobufCEnumDescriptor *d, const char *s);

/* Adds a violation on field unless nu_enum_valid(d, value, zero_ok); the
 * description lists what is accepted, by name without the prefix, e.g.
 * "must be PERSONAL or COMPANY" (with zero_ok, UNSPECIFIED first). */
void nu_validate_enum(nu_validator *v, const char *field, const ProtobufCEnumDescriptor *d,
                      int value, bool zero_ok);

/* For a repeated enum field: a violation on field when n > max ("at most
 * <max> values", and nothing else is checked), otherwise one on
 * "field[i]" for each values[i] that is not a non-zero value of d. */
void nu_validate_enum_list(nu_validator *v, const char *field, const ProtobufCEnumDescriptor *d,
                           const int *values, size_t n, size_t max);

#ifdef __cplusplus
}
#endif

#endif
