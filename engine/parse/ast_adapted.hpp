#pragma once
// Fusion adaptations for the AST nodes the grammar fills without semantic actions.

#include <boost/fusion/include/adapt_struct.hpp>

#include "ast/ast.hpp"

BOOST_FUSION_ADAPT_STRUCT(stepcare::ast::translation, language, value)
