/*
 * policy.h — the limits of the catalog context, in one place.
 *
 * Lengths are bytes; counts are plain numbers. The handlers read the numbers
 * from here.
 */
#ifndef NU_DOMAIN_CATALOG_POLICY_H
#define NU_DOMAIN_CATALOG_POLICY_H

/* A product's, a storefront's or a pricing plan's name. */
#define NU_CATALOG_NAME_MAX_LEN 200
/* A product's or a storefront's description. */
#define NU_CATALOG_DESCRIPTION_MAX_LEN 10000
/* A short text: a product's category, a storefront's website. */
#define NU_CATALOG_SHORT_TEXT_MAX_LEN 200
/* One region, certification or capability of a product. */
#define NU_CATALOG_REGION_MAX_LEN 64
/* Regions, certifications or capabilities on one product, each list. */
#define NU_CATALOG_LIST_MAX 50
/* A storefront's contact phone. */
#define NU_STOREFRONT_PHONE_MAX_LEN 40
/* A product version's label ("2.1") ... */
#define NU_VERSION_LABEL_MAX_LEN 64
/* ... and its release notes. */
#define NU_VERSION_NOTES_MAX_LEN 10000

#endif
